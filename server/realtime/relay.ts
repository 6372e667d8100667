import pg from "pg";
import type { Logger } from "@/server/logger";
import { eventsById, type LoggedEvent } from "./events";

export const EVENTS_CHANNEL = "supportchat_events";

/**
 * Follows the event log: PostgreSQL announces each event when its transaction
 * commits (NOTIFY, from a trigger, in commit order), and the relay reads the
 * announced rows in batches and hands them on in that order. Every realtime
 * node runs one, for its own sockets, so each socket gets each event once.
 *
 * If the listening connection drops, the relay reconnects and reports the gap
 * (`onGap`): events committed meanwhile were not announced to it, and the
 * sockets it serves must catch up from the log.
 */
export function startEventRelay(options: {
  connectionString: string;
  systemPool: pg.Pool;
  log: Logger;
  onEvents: (events: LoggedEvent[]) => void;
  onGap: () => void;
}): { stop: () => Promise<void>; ready: Promise<void> } {
  const { log } = options;
  let client: pg.Client | undefined;
  let stopped = false;
  let pending: string[] = [];
  let flushing = false;

  const flush = async () => {
    if (flushing || pending.length === 0) return;
    flushing = true;
    try {
      while (pending.length > 0) {
        const ids = pending.splice(0, 500);
        try {
          options.onEvents(await eventsById(options.systemPool, ids));
        } catch (error) {
          log.error({ err: error, count: ids.length }, "realtime: announced events could not be read; clients will catch up");
          options.onGap();
        }
      }
    } finally {
      flushing = false;
    }
  };

  let resolveReady: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));

  const connect = async (attempt: number): Promise<void> => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: options.connectionString });
    next.on("notification", (message) => {
      if (message.channel !== EVENTS_CHANNEL || !message.payload) return;
      pending.push(message.payload);
      // Notifications of one commit arrive together; reading them in one query is cheaper.
      if (pending.length === 1) setImmediate(() => void flush());
    });
    next.on("error", (error) => {
      if (stopped) return;
      log.warn({ err: error }, "realtime: lost the event announcements; reconnecting");
      void next.end().catch(() => undefined);
      options.onGap();
      setTimeout(() => void connect(1), 500);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${EVENTS_CHANNEL}`);
      client = next;
      if (attempt > 0) log.info("realtime: following the event log again");
      resolveReady();
    } catch (error) {
      void next.end().catch(() => undefined);
      log.warn({ err: error, attempt }, "realtime: cannot listen for events yet; retrying");
      setTimeout(() => void connect(attempt + 1), Math.min(5000, 250 * 2 ** attempt));
    }
  };
  void connect(0);

  return {
    ready,
    stop: async () => {
      stopped = true;
      pending = [];
      await client?.end().catch(() => undefined);
    },
  };
}
