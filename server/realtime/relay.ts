import pg from "pg";
import type { Logger } from "@/server/logger";
import { EVENTS_CHANNEL } from "./announce";
import { toLoggedEvent, type LoggedEvent } from "./events";

/**
 * How far the relay has read: every event up to `lastId` except those of the
 * transactions still running when it read — the snapshot's in-progress list
 * (`running`) and every transaction id from its xmax on (`runningFrom`), which
 * the list leaves out: a transaction that took its id after the newest one to
 * finish is in progress but not listed, and may hold an event id lower than one
 * already read.
 */
export type RelayPosition = { lastId: string | null; running: string[]; runningFrom: string | null };

type TailRow = { xip: string[] | null; xmax: string; events: Parameters<typeof toLoggedEvent>[0][] };
const TAIL_COLUMNS = `id AS position, id::text AS id, "tenantId", type, "conversationId", payload, "createdAt", "requestId", traceparent`;

/**
 * One read of the log ($1 last id, $2 running, $3 running from): one statement,
 * one snapshot, so the events it sees and the transactions still running when it
 * saw them agree. Two index ranges, the ids after the last one and the earlier
 * transactions' events, so a read costs what it returns, not the log's length.
 */
export const TAIL_QUERY = `SELECT (SELECT array_agg(x::text) FROM pg_snapshot_xip(pg_current_snapshot()) x) AS xip, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
  coalesce((SELECT json_agg(e ORDER BY e.position) FROM (
    (SELECT ${TAIL_COLUMNS} FROM "Event" WHERE id > coalesce($1::bigint, 0) ORDER BY position LIMIT 500)
    UNION ALL
    (SELECT ${TAIL_COLUMNS} FROM "Event" WHERE id <= $1::bigint AND (txid = ANY($2::xid8[]) OR (txid >= $3::xid8 AND txid < pg_snapshot_xmax(pg_current_snapshot()))))
    ORDER BY position LIMIT 500) e), '[]') AS events`;

/**
 * Follows the event log for one realtime node. It reads the log when a writer
 * announces a commit (a NOTIFY, batched by the writers) and regularly in any
 * case, so a lost announcement only delays an event. Each read returns, in id
 * order, the events after the last one seen, plus the events of transactions
 * that were still running at the previous read (found by their transaction id:
 * ids are taken at insert, so such an event can carry a lower id than one
 * already read). Nothing is read twice and nothing is skipped.
 */
/** What the relay reads the log through: a node-postgres pool of the owner, or anything that answers the same way. */
export type LogReader = { query<R extends object>(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: R[] }> };

export function startEventRelay(options: {
  connectionString: string;
  systemPool: pg.Pool | LogReader;
  log: Logger;
  /**
   * The events of each read, in order, with where the relay stands once they are handled. A
   * durable follower awaits its work here: when it fails, the relay keeps its place and reads the
   * same events again.
   */
  onEvents: (events: LoggedEvent[], position: RelayPosition) => void | Promise<void>;
  onGap: () => void;
  /** The regular read when no announcement came; announcements make it sooner. */
  pollMs?: number;
  /** Where to start (a durable follower's saved place); none: at the end of the log, as a realtime node does. */
  start?: () => Promise<RelayPosition | null>;
  /** Who follows, for the log lines ("realtime" by default). */
  label?: string;
  /** Called on each announcement too, so another follower in the process can share this LISTEN connection. */
  onNotify?: () => void;
  /** false: no LISTEN connection of its own; another follower's announcements wake it (readNow) besides its timer. */
  listen?: boolean;
}): { stop: () => Promise<void>; ready: Promise<void>; position: () => RelayPosition; readNow: () => Promise<void> } {
  const { log } = options;
  const pollMs = options.pollMs ?? 250;
  // A node-postgres pool answers these calls as a LogReader does.
  const reader = options.systemPool as LogReader;
  const label = options.label ?? "realtime";
  let lastId: string | null = null;
  let running: string[] = [];
  let runningFrom: string | null = null;
  let stopped = false;
  let reading = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let listener: pg.Client | undefined;
  let failing = false;
  /** Callers of readNow, answered once a read that began after their call has finished. */
  const waiters: (() => void)[] = [];

  const read = async (): Promise<void> => {
    if (stopped) return;
    if (reading) return void (again = true);
    reading = true;
    clearTimeout(timer);
    const served: (() => void)[] = [];
    try {
      for (;;) {
        again = false;
        served.push(...waiters.splice(0));
        const { rows } = await reader.query<TailRow>({
          name: "realtime_tail",
          text: TAIL_QUERY,
          values: [lastId, running, runningFrom],
        });
        const row = rows[0]!;
        const events = row.events.map((event) => toLoggedEvent({ ...event, createdAt: new Date(`${String(event.createdAt)}Z`) }));
        let nextLastId = lastId;
        for (const event of events) if (nextLastId === null || BigInt(event.eventId) > BigInt(nextLastId)) nextLastId = event.eventId;
        const next: RelayPosition = { lastId: nextLastId, running: row.xip ?? [], runningFrom: row.xmax };
        if (events.length > 0) await options.onEvents(events, next);
        ({ lastId, running, runningFrom } = next);
        if (failing) log.info(`${label}: reading the event log again`);
        failing = false;
        if (events.length < 500 && !again) break;
      }
    } catch (error) {
      if (!failing) log.warn({ err: error }, label === "realtime" ? "realtime: cannot read the event log; clients will catch up when it is back" : `${label}: cannot read or handle the event log; trying again`);
      if (!failing) options.onGap();
      failing = true;
    } finally {
      reading = false;
      for (const done of served) done();
      if (!stopped) timer = setTimeout(() => void read(), failing ? Math.max(pollMs, 1000) : pollMs);
    }
  };

  const listen = async (attempt: number): Promise<void> => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: options.connectionString });
    client.on("notification", () => {
      options.onNotify?.();
      void read();
    });
    client.on("error", () => {
      void client.end().catch(() => undefined);
      if (!stopped) setTimeout(() => void listen(1), 500);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      listener = client;
    } catch {
      void client.end().catch(() => undefined);
      // Reading on a timer still delivers everything meanwhile, only a little later.
      setTimeout(() => void listen(attempt + 1), Math.min(5000, 250 * 2 ** attempt));
    }
  };

  const ready = (async () => {
    // Start from the end of the log: what came before is for catching up, not for live delivery.
    for (let attempt = 0; ; attempt++) {
      try {
        const saved = options.start ? await options.start() : null;
        if (saved) {
          ({ lastId, running, runningFrom } = saved);
          break;
        }
        const { rows } = await reader.query<{ last: string | null; xip: string[] | null; xmax: string }>({
          text: `SELECT (SELECT max(id)::text FROM "Event") AS last, (SELECT array_agg(x::text) FROM pg_snapshot_xip(pg_current_snapshot()) x) AS xip,
             pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`,
        });
        lastId = rows[0]!.last;
        running = rows[0]!.xip ?? [];
        runningFrom = rows[0]!.xmax;
        break;
      } catch (error) {
        if (stopped) return;
        log.warn({ err: error, attempt }, `${label}: cannot read the event log yet; retrying`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
    if (options.listen !== false) await listen(0);
    timer = setTimeout(() => void read(), pollMs);
  })();

  return {
    ready,
    position: () => ({ lastId, running, runningFrom }),
    /** Reads the log now (what committed until this call is then in the position). */
    readNow: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        void read();
      }),
    stop: async () => {
      stopped = true;
      for (const done of waiters.splice(0)) done();
      clearTimeout(timer);
      await listener?.end().catch(() => undefined);
    },
  };
}
