-- Teams: named groups of members; a conversation may belong to one, and carries a priority.
CREATE TYPE "ConversationPriority" AS ENUM ('urgent', 'high', 'medium', 'low');

CREATE TABLE "Team" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Team_tenantId_nameKey_key" ON "Team"("tenantId", "nameKey");
ALTER TABLE "Team" ADD CONSTRAINT "Team_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "TeamMember" (
    "tenantId" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("teamId", "userId")
);
CREATE INDEX "TeamMember_tenantId_userId_idx" ON "TeamMember"("tenantId", "userId");
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "Conversation" ADD COLUMN "teamId" UUID, ADD COLUMN "priority" "ConversationPriority";
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "Conversation_tenantId_teamId_status_lastMessageAt_idx" ON "Conversation"("tenantId", "teamId", "status", "lastMessageAt" DESC);
-- The inbox sorted by priority (most urgent first, newest within).
CREATE INDEX "Conversation_tenantId_status_priority_lastMessageAt_idx" ON "Conversation"("tenantId", "status", "priority", "lastMessageAt" DESC);

ALTER TABLE "Team" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Team" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
ALTER TABLE "TeamMember" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TeamMember" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
