-- The request that caused an event (x-request-id of the web request, or the job's), so one id finds
-- every step of a customer message's journey in the logs.
ALTER TABLE "Event" ADD COLUMN "requestId" TEXT;
