import pg from "pg";
import type { AppDb, SystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { Logger } from "@/server/logger";
import { announceEvents, EVENTS_CHANNEL } from "@/server/realtime/announce";
import { routeQueue } from "@/server/services/assignment/route-queue";

/**
 * The assignment router: a follower of the event log. Whenever events commit (the same
 * NOTIFY the realtime servers follow: a new conversation, a resolution that frees room, an
 * agent coming online) and at least every `pollMs`, it routes each workspace that has
 * conversations waiting. One pass at a time per process, and one more right after when
 * something committed meanwhile; several workers route the same workspace one after the
 * other, serialized by its assignment lock (routeQueue).
 */
export function startAssignmentRouter(options: {
  connectionString: string;
  appDb: AppDb;
  systemDb: SystemDb;
  log: Logger;
  pollMs?: number;
  /** false: no LISTEN connection of its own; whoever already listens in the process calls `wake` (the worker's notifier). */
  listen?: boolean;
}) {
  const { appDb, systemDb, log } = options;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let listener: pg.Client | null = null;
  let failing = false;

  const pass = async () => {
    const tenants = await systemDb.$queryRaw<{ tenantId: string }[]>`SELECT DISTINCT "tenantId" FROM "Conversation" WHERE "queuedAt" IS NOT NULL`;
    for (const { tenantId } of tenants) {
      if (stopped) return;
      for (;;) {
        const result = await withTenant(appDb, tenantId, (db) => routeQueue(db, { tenantId }), { requestId: `assignment-router:${process.pid}` });
        if (result.assigned > 0) announceEvents(appDb);
        if (!result.more || stopped) break;
      }
    }
  };

  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await pass();
          if (failing) log.info("assignment router: routing again");
          failing = false;
        } catch (error) {
          if (!failing) log.warn({ err: error }, "assignment router: a pass failed; trying again on the next event or tick");
          failing = true;
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };

  const listen = async (attempt: number): Promise<void> => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: options.connectionString });
    client.on("notification", wake);
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
      // The timer still routes meanwhile, only later.
      setTimeout(() => void listen(attempt + 1), Math.min(5000, 250 * 2 ** attempt));
    }
  };

  if (options.listen !== false) void listen(0);
  const timer = setInterval(wake, options.pollMs ?? 1000);
  wake();

  return {
    /** Routes as soon as it can: events committed. */
    wake,
    /** Routes now (and resolves when that pass, and any it owes, is done): for tests. */
    routeNow: async () => {
      wake();
      while (running) await running;
    },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await listener?.end().catch(() => undefined);
      await running;
    },
  };
}
