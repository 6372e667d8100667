-- Inbox search: contact names and message text, with PostgreSQL full-text search.
-- Expression indexes (Prisma's schema cannot describe them; the schema-match test
-- knows these two by name). The 'simple' configuration does not stem, so it works
-- the same for every language the customers write in; queries match word prefixes.
CREATE INDEX "Message_text_search_idx" ON "Message" USING gin (to_tsvector('simple', coalesce(text, '')));
CREATE INDEX "Contact_name_search_idx" ON "Contact" USING gin (to_tsvector('simple', name || ' ' || coalesce(username, '')));

-- The inbox lists a tenant's conversations by last activity, also per assignee.
CREATE INDEX "Conversation_tenantId_assigneeId_status_lastMessageAt_idx" ON "Conversation"("tenantId", "assigneeId", status, "lastMessageAt" DESC);
DROP INDEX "Conversation_tenantId_assigneeId_status_idx";
