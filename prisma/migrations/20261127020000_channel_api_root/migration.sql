-- AlterTable
ALTER TABLE "Channel" ADD COLUMN "apiRoot" TEXT;
