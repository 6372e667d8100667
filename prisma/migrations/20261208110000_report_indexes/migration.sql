-- Reports at scale (npm run bench -- reports: 200,000 conversations' facts in one workspace):
-- the facts' index carries what the figures read and filter by, so a report over 90 days reads the
-- index alone; and a conversation's fold state goes with it (the facts stay: they outlive it).
DROP INDEX "ReportFact_tenantId_kind_day_idx";
CREATE INDEX "ReportFact_tenantId_kind_day_idx" ON "ReportFact"("tenantId", "kind", "day") INCLUDE ("millis", "businessMillis", "channelId", "teamId", "agentId");
ALTER TABLE "ReportState" ADD CONSTRAINT "ReportState_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
