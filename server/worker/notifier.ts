import type { AppDb, SystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { Logger } from "@/server/logger";
import { announceEvents } from "@/server/realtime/announce";
import type { LoggedEvent } from "@/server/realtime/events";
import { startEventRelay, type LogReader, type RelayPosition } from "@/server/realtime/relay";
import { notifyFromEvents } from "@/server/services/notifications/notify-from-events";

const FOLLOWER = "notifier";

/** The events the notifier makes something of; the rest only move its place on. */
const followed = new Set(["message.created", "assignee.changed", "conversation.created", "team.changed"]);

/**
 * The owner's Prisma client as the relay's reader: the worker reads the log through the connections
 * it already holds for its system work rather than a pool of its own (on a PostgreSQL of 100
 * connections, the scale-out run's six processes have none to spare).
 */
export function logReader(systemDb: SystemDb): LogReader {
  return {
    query: async <R extends object>(config: { text: string; values?: unknown[] }) => ({ rows: await systemDb.$queryRawUnsafe<R[]>(config.text, ...(config.values ?? [])) }),
  };
}

/**
 * The notifier: a follower of the event log that turns what happened into people's
 * notifications (server/services/notifications/notify-from-events.ts). It reads the log the way
 * a realtime node does (the same relay: in order, nothing skipped across concurrent commits),
 * from the place it saved (EventFollower), and saves its place only after each batch's
 * notifications committed — so a crash replays, and replaying makes nothing twice. Several
 * workers may all run it: each notification is unique per person and event, so the slower one
 * finds its work done.
 */
export function startNotifier(options: {
  connectionString: string;
  /** The owner's connections (the log spans every workspace): a node-postgres pool, or the worker's system client (logReader). */
  systemPool: LogReader;
  appDb: AppDb;
  log: Logger;
  mail: boolean;
  pollMs?: number;
  /** Also told of every announcement its LISTEN connection hears (the worker's assignment router shares it). */
  onNotify?: () => void;
}) {
  const { systemPool, appDb, log } = options;
  const requestId = `notifier:${process.pid}`;

  const handle = async (events: LoggedEvent[], position: RelayPosition) => {
    const byTenant = new Map<string, LoggedEvent[]>();
    for (const event of events) {
      if (!followed.has(event.type)) continue;
      const list = byTenant.get(event.tenantId) ?? [];
      list.push(event);
      byTenant.set(event.tenantId, list);
    }
    let created = 0;
    for (const [tenantId, tenantEvents] of byTenant) {
      const result = await withTenant(appDb, tenantId, (db) => notifyFromEvents(db, { tenantId, events: tenantEvents, mail: options.mail }), { requestId });
      created += result.created;
    }
    if (created > 0) announceEvents(appDb);
    await systemPool.query({
      name: "notifier_save_position",
      text: `INSERT INTO "EventFollower" (name, position, "updatedAt") VALUES ($1, $2::jsonb, now())
        ON CONFLICT (name) DO UPDATE SET position = excluded.position, "updatedAt" = excluded."updatedAt"`,
      values: [FOLLOWER, JSON.stringify(position)],
    });
  };

  const relay = startEventRelay({
    connectionString: options.connectionString,
    systemPool,
    log,
    label: "notifier",
    onNotify: options.onNotify,
    pollMs: options.pollMs ?? 250,
    onEvents: handle,
    // A durable follower has no gap: it reads again from its saved place.
    onGap: () => undefined,
    start: async () => {
      const { rows } = await systemPool.query<{ position: RelayPosition }>({ text: `SELECT position FROM "EventFollower" WHERE name = $1`, values: [FOLLOWER] });
      return rows[0]?.position ?? null;
    },
  });
  return { ready: relay.ready, readNow: relay.readNow, stop: relay.stop };
}
