-- The realtime servers follow the event log by reading it (woken by NOTIFYs that
-- writers send in batches after they commit), not by a NOTIFY from each insert:
-- a NOTIFY inside a transaction makes every such commit wait for a database-wide
-- lock, which cost Telegram intake a fifth of its throughput and most of its
-- latency headroom. Reading the log finds events of transactions that were still
-- running at the previous read by their transaction id, hence this index.
DROP TRIGGER "Event_announce" ON "Event";
DROP FUNCTION app_announce_event();
CREATE INDEX "Event_txid_idx" ON "Event"("txid");
