-- Availability, assignment policies per channel and per team, and the queue they feed.
CREATE TYPE "Availability" AS ENUM ('online', 'busy', 'offline');
CREATE TYPE "AssignmentMode" AS ENUM ('off', 'round_robin', 'balanced');

ALTER TABLE "Membership"
    ADD COLUMN "availability" "Availability" NOT NULL DEFAULT 'offline',
    ADD COLUMN "availabilityChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN "lastSeenAt" TIMESTAMP(3),
    ADD COLUMN "capacity" INTEGER,
    ADD COLUMN "lastAssignedAt" TIMESTAMP(3);
CREATE INDEX "Membership_tenantId_availability_idx" ON "Membership"("tenantId", "availability");

ALTER TABLE "Conversation"
    ADD COLUMN "queuedAt" TIMESTAMP(3),
    ADD COLUMN "queueWaiting" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "autoAssigned" BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX "Conversation_queuedAt_idx" ON "Conversation"("queuedAt");

CREATE TABLE "AssignmentPolicy" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "channelId" UUID,
    "teamId" UUID,
    "mode" "AssignmentMode" NOT NULL DEFAULT 'off',
    "returnAfterMinutes" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "AssignmentPolicy_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "AssignmentPolicy_one_subject" CHECK (num_nonnulls("channelId", "teamId") = 1)
);
CREATE UNIQUE INDEX "AssignmentPolicy_channelId_key" ON "AssignmentPolicy"("channelId");
CREATE UNIQUE INDEX "AssignmentPolicy_teamId_key" ON "AssignmentPolicy"("teamId");
CREATE INDEX "AssignmentPolicy_tenantId_idx" ON "AssignmentPolicy"("tenantId");
ALTER TABLE "AssignmentPolicy" ADD CONSTRAINT "AssignmentPolicy_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AssignmentPolicy" ADD CONSTRAINT "AssignmentPolicy_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AssignmentPolicy" ADD CONSTRAINT "AssignmentPolicy_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "AssignmentPolicy" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AssignmentPolicy" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());

-- A conversation's assignment history (the thread's "assigned by round robin" lines), without
-- indexing every event of the log by conversation: only these. Partial, so not in schema.prisma.
CREATE INDEX "Event_assignment_history_idx" ON "Event"("conversationId", id) WHERE type = 'assignee.changed';
