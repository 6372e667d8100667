-- CreateEnum
CREATE TYPE "SessionEndReason" AS ENUM ('signed_out', 'signed_out_everywhere', 'password_changed', 'revoked');

-- CreateTable
CREATE TABLE "Session" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "revokedReason" "SessionEndReason",
    "userAgent" VARCHAR(512),
    "ip" VARCHAR(64),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_userId_createdAt_idx" ON "Session"("userId", "createdAt");

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Sessions are looked up by the owner's client only (server/auth/principal.ts, the account
-- procedures, the realtime server's checks). Row-level security with no policy at all means the
-- app role, which every tenant-scoped query runs as, can neither read nor write a single row: a
-- query that reaches this table through the app role by mistake finds nothing.
ALTER TABLE "Session" ENABLE ROW LEVEL SECURITY;
