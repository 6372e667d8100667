-- Reports: the metrics' facts and the fold's state per conversation, maintained from the event log
-- by the worker's reports follower (server/worker/reports-follower.ts) and rebuilt from it by
-- `npm run admin -- reports:rebuild`.

CREATE TYPE "ReportFactKind" AS ENUM ('conversation_created', 'message_in', 'message_out', 'first_response', 'next_reply', 'resolution', 'reopen');

-- No foreign key to the conversation: a fact outlives it (an erased contact's conversations leave
-- their figures behind, without anything personal).
CREATE TABLE "ReportFact" (
    "tenantId" UUID NOT NULL,
    "eventId" BIGINT NOT NULL,
    "kind" "ReportFactKind" NOT NULL,
    "conversationId" UUID NOT NULL,
    "cycle" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "day" DATE NOT NULL,
    "since" TIMESTAMP(3),
    "millis" BIGINT,
    "businessMillis" BIGINT,
    "channelId" UUID,
    "teamId" UUID,
    "agentId" UUID,
    "labels" TEXT[],
    CONSTRAINT "ReportFact_pkey" PRIMARY KEY ("tenantId", "eventId", "kind")
);
CREATE INDEX "ReportFact_tenantId_kind_day_idx" ON "ReportFact"("tenantId", "kind", "day");
CREATE INDEX "ReportFact_tenantId_conversationId_idx" ON "ReportFact"("tenantId", "conversationId");
ALTER TABLE "ReportFact" ADD CONSTRAINT "ReportFact_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "ReportState" (
    "conversationId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "lastEventId" BIGINT NOT NULL,
    "state" JSONB NOT NULL,
    -- Since when the customer waits for an agent's reply (null: answered, resolved or snoozed): the overview's "waiting longest".
    "waitingSince" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "ReportState_pkey" PRIMARY KEY ("conversationId")
);
CREATE INDEX "ReportState_tenantId_waitingSince_idx" ON "ReportState"("tenantId", "waitingSince");
ALTER TABLE "ReportState" ADD CONSTRAINT "ReportState_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ReportFact" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ReportFact" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
ALTER TABLE "ReportState" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ReportState" USING ("tenantId" = app_current_tenant()) WITH CHECK ("tenantId" = app_current_tenant());
