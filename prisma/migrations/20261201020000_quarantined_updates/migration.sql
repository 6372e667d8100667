-- Telegram updates intake could not read or store, kept whole so intake moves on (see schema.prisma).
CREATE TYPE "QuarantineStatus" AS ENUM ('pending', 'retried', 'discarded');

-- CreateTable
CREATE TABLE "QuarantinedUpdate" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "channelId" UUID NOT NULL,
    "updateId" BIGINT,
    "raw" BYTEA NOT NULL,
    "digest" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "errorCode" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retriable" BOOLEAN NOT NULL DEFAULT true,
    "status" "QuarantineStatus" NOT NULL DEFAULT 'pending',
    "resolvedAt" TIMESTAMP(3),
    "resolvedByUserId" UUID,
    "resolvedByApiKeyId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuarantinedUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "QuarantinedUpdate_channelId_digest_key" ON "QuarantinedUpdate"("channelId", "digest");
CREATE INDEX "QuarantinedUpdate_tenantId_channelId_status_createdAt_idx" ON "QuarantinedUpdate"("tenantId", "channelId", "status", "createdAt" DESC);
CREATE INDEX "QuarantinedUpdate_status_idx" ON "QuarantinedUpdate"("status");

-- AddForeignKey
ALTER TABLE "QuarantinedUpdate" ADD CONSTRAINT "QuarantinedUpdate_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "QuarantinedUpdate" ADD CONSTRAINT "QuarantinedUpdate_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Tenant isolation, as on every tenant-owned table.
ALTER TABLE "QuarantinedUpdate" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "QuarantinedUpdate" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
