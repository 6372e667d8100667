-- The request that caused an event: whoever opens a transaction sets app.request_id (the web
-- request's x-request-id, a webhook delivery's own id, or the job's), and every event written in it
-- records the id without the writer naming it, so one id finds a customer message's whole journey.
ALTER TABLE "Event" ADD COLUMN "requestId" TEXT DEFAULT nullif(current_setting('app.request_id', true), '');
