-- The event log as a stream the realtime servers follow.
--
-- Ids are taken when an event is inserted, not when its transaction commits, so an
-- event can become visible after one with a higher id. Each event records its own
-- transaction and the oldest transaction still running when it was written: a
-- client that reconnects after event E is sent every event with a higher id, and
-- also the few with lower ids whose transaction was still running when E was
-- written (txid >= E.txmin), which are the only ones that can have committed after E.
ALTER TABLE "Event"
  ADD COLUMN "txid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
  ADD COLUMN "txmin" xid8 NOT NULL DEFAULT pg_snapshot_xmin(pg_current_snapshot());

CREATE INDEX "Event_tenantId_txid_idx" ON "Event"("tenantId", "txid");

-- Each event is announced when its transaction commits: NOTIFY is delivered at
-- commit, in commit order, and never for a transaction that rolled back.
CREATE FUNCTION app_announce_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('supportchat_events', NEW.id::text);
  RETURN NULL;
END $$;

CREATE TRIGGER "Event_announce" AFTER INSERT ON "Event" FOR EACH ROW EXECUTE FUNCTION app_announce_event();
