-- Notifications: who takes part in a conversation, what each person is told, how, and on which devices.

-- Who takes part in a conversation besides its assignee: they get its notifications.
CREATE TYPE "ParticipantReason" AS ENUM ('added', 'replied', 'mentioned', 'assigned');
CREATE TABLE "ConversationParticipant" (
    "tenantId" UUID NOT NULL,
    "conversationId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "reason" "ParticipantReason" NOT NULL,
    "addedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConversationParticipant_pkey" PRIMARY KEY ("conversationId", "userId")
);
CREATE INDEX "ConversationParticipant_tenantId_userId_idx" ON "ConversationParticipant"("tenantId", "userId");
ALTER TABLE "ConversationParticipant" ADD CONSTRAINT "ConversationParticipant_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ConversationParticipant" ADD CONSTRAINT "ConversationParticipant_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ConversationParticipant" ADD CONSTRAINT "ConversationParticipant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One entry of a person's notification centre, made by the notifier from one event of the log
-- (sourceEventId): one per person per event, so a replayed event makes none twice.
CREATE TABLE "Notification" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "conversationId" UUID,
    "messageId" UUID,
    "actorUserId" UUID,
    "sourceEventId" BIGINT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    -- Shown in the centre (the person's in-app choice for the type); a row exists for push and email too.
    "inApp" BOOLEAN NOT NULL DEFAULT true,
    "readAt" TIMESTAMP(3),
    "emailedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Notification_type_check" CHECK ("type" IN ('conversation.assigned', 'message.new', 'mention', 'queue.waiting'))
);
CREATE UNIQUE INDEX "Notification_userId_sourceEventId_key" ON "Notification"("userId", "sourceEventId");
CREATE INDEX "Notification_tenantId_userId_createdAt_idx" ON "Notification"("tenantId", "userId", "createdAt" DESC, "id" DESC);
CREATE INDEX "Notification_tenantId_userId_conversationId_idx" ON "Notification"("tenantId", "userId", "conversationId");
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- The unread count is read on every page: only the unread rows, which stay few. Partial, so not in schema.prisma.
CREATE INDEX "Notification_unread_idx" ON "Notification"("tenantId", "userId") WHERE "readAt" IS NULL AND "inApp";

-- A person's choices per type and medium in a workspace (JSON, defaults filled in by the product).
CREATE TABLE "NotificationPreference" (
    "tenantId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "settings" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("tenantId", "userId")
);
ALTER TABLE "NotificationPreference" ADD CONSTRAINT "NotificationPreference_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "NotificationPreference" ADD CONSTRAINT "NotificationPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A browser (device) that receives this person's pushes in this workspace.
CREATE TABLE "PushSubscription" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "endpoint" TEXT NOT NULL,
    "p256dh" TEXT NOT NULL,
    "auth" TEXT NOT NULL,
    "userAgent" VARCHAR(512),
    "lastSuccessAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PushSubscription_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "PushSubscription_tenantId_endpoint_key" ON "PushSubscription"("tenantId", "endpoint");
CREATE INDEX "PushSubscription_tenantId_userId_idx" ON "PushSubscription"("tenantId", "userId");
ALTER TABLE "PushSubscription" ADD CONSTRAINT "PushSubscription_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PushSubscription" ADD CONSTRAINT "PushSubscription_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- When a person was last emailed about a conversation (at most one email per conversation per 10 minutes).
CREATE TABLE "NotificationEmail" (
    "tenantId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "conversationId" UUID NOT NULL,
    "lastSentAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "NotificationEmail_pkey" PRIMARY KEY ("userId", "conversationId")
);
CREATE INDEX "NotificationEmail_tenantId_idx" ON "NotificationEmail"("tenantId");
ALTER TABLE "NotificationEmail" ADD CONSTRAINT "NotificationEmail_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "NotificationEmail" ADD CONSTRAINT "NotificationEmail_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "NotificationEmail" ADD CONSTRAINT "NotificationEmail_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ConversationParticipant" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ConversationParticipant" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
ALTER TABLE "Notification" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Notification" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
ALTER TABLE "NotificationPreference" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "NotificationPreference" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
ALTER TABLE "PushSubscription" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "PushSubscription" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
ALTER TABLE "NotificationEmail" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "NotificationEmail" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());

-- How far a follower of the event log (the notifier) has read, across every workspace: the
-- relay's position, saved in the same transaction as what it made of those events. The
-- owner's only (row-level security with no policy), like Session: no workspace owns it.
CREATE TABLE "EventFollower" (
    "name" TEXT NOT NULL,
    "position" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "EventFollower_pkey" PRIMARY KEY ("name")
);
ALTER TABLE "EventFollower" ENABLE ROW LEVEL SECURITY;
