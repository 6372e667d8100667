import type { SystemDb } from "@/server/db/client";
import type { Logger } from "@/server/logger";
import type { LoggedEvent } from "@/server/realtime/events";
import { startEventRelay, type LogReader, type RelayPosition } from "@/server/realtime/relay";

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

export type FollowerOptions = {
  connectionString: string;
  /** The owner's connections (the log spans every workspace): a node-postgres pool, or the worker's system client (logReader). */
  systemPool: LogReader;
  log: Logger;
  pollMs?: number;
  /** Also told of every announcement its LISTEN connection hears (another follower of the worker shares it). */
  onNotify?: () => void;
  /** false: no LISTEN of its own; `wake` (from another follower's announcements) and its timer make it read. */
  listen?: boolean;
};

/**
 * A follower of the event log that must see every event once it is done with it: it reads the
 * log the way a realtime node does (the same relay: in order, nothing skipped across concurrent
 * commits) from the place it saved (EventFollower, under `name`), and saves its place only after
 * `handle` finished with a batch — so a crash replays the batch, and `handle` must make nothing
 * twice of a replay. Several workers may all run it; each follower's work is idempotent, so the
 * slower one finds it done.
 */
export function startDurableFollower(
  name: string,
  options: FollowerOptions & {
    /** Without a saved place: read the whole log from its beginning (a store built from it) rather than from now on (notifications). */
    fromStart?: boolean;
  },
  handle: (events: LoggedEvent[]) => Promise<void>,
) {
  const { systemPool } = options;
  const relay = startEventRelay({
    connectionString: options.connectionString,
    systemPool,
    log: options.log,
    label: name,
    onNotify: options.onNotify,
    listen: options.listen,
    pollMs: options.pollMs ?? 250,
    onEvents: async (events: LoggedEvent[], position: RelayPosition) => {
      await handle(events);
      await systemPool.query({
        name: `${name}_save_position`,
        text: `INSERT INTO "EventFollower" (name, position, "updatedAt") VALUES ($1, $2::jsonb, now())
          ON CONFLICT (name) DO UPDATE SET position = excluded.position, "updatedAt" = excluded."updatedAt"`,
        values: [name, JSON.stringify(position)],
      });
    },
    // A durable follower has no gap: it reads again from its saved place.
    onGap: () => undefined,
    start: async () => {
      const { rows } = await systemPool.query<{ position: RelayPosition }>({ text: `SELECT position FROM "EventFollower" WHERE name = $1`, values: [name] });
      return rows[0]?.position ?? (options.fromStart ? { lastId: null, running: [], runningFrom: null } : null);
    },
  });
  return { ready: relay.ready, readNow: relay.readNow, wake: () => void relay.readNow(), stop: relay.stop };
}

/** Events grouped by workspace, in log order within each, of the types a follower reads. */
export function byTenant(events: LoggedEvent[], types: ReadonlySet<string>): Map<string, LoggedEvent[]> {
  const grouped = new Map<string, LoggedEvent[]>();
  for (const event of events) {
    if (!types.has(event.type)) continue;
    const list = grouped.get(event.tenantId) ?? [];
    list.push(event);
    grouped.set(event.tenantId, list);
  }
  return grouped;
}
