-- The trace an event belongs to (W3C traceparent), from the transaction's app.traceparent setting,
-- set only while OpenTelemetry tracing is on: the realtime node's emit span joins the trace of the
-- request or job that wrote the event.
ALTER TABLE "Event" ADD COLUMN "traceparent" TEXT DEFAULT nullif(current_setting('app.traceparent', true), '');
