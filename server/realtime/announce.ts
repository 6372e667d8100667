export const EVENTS_CHANNEL = "supportchat_events";

/** At most one NOTIFY per connection pool per this many milliseconds (the first one goes at once). */
const INTERVAL_MS = 20;
const lastSent = new WeakMap<object, number>();
const scheduled = new WeakSet<object>();

/** Anything that can run one SQL statement: a node-postgres pool or a Prisma client. */
type Connection = { query(sql: string): Promise<unknown> } | { $executeRawUnsafe(sql: string): Promise<unknown> };

function send(connection: Connection): void {
  lastSent.set(connection, Date.now());
  const sql = `NOTIFY ${EVENTS_CHANNEL}`;
  const sent = "query" in connection ? connection.query(sql) : connection.$executeRawUnsafe(sql);
  sent.catch(() => undefined);
}

/**
 * Tells the realtime servers that events were committed: at once when quiet, and
 * under load at most one `NOTIFY` per pool per INTERVAL_MS however many
 * transactions committed meanwhile. It is sent after the commit (a NOTIFY inside a
 * transaction makes every commit wait for a database-wide lock; measured here, it
 * took intake from about 1,400 to 1,100 updates/s). Call it after a transaction
 * that recorded events has committed. Best effort: a missed announcement only
 * delays delivery until the realtime servers' next regular read of the log.
 */
export function announceEvents(connection: Connection): void {
  if (scheduled.has(connection)) return;
  const wait = (lastSent.get(connection) ?? 0) + INTERVAL_MS - Date.now();
  if (wait <= 0) return send(connection);
  scheduled.add(connection);
  setTimeout(() => {
    scheduled.delete(connection);
    send(connection);
  }, wait);
}
