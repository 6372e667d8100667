import type { Redis } from "ioredis";

export type PresenceStatus = "online" | "away" | "offline";

/**
 * Who is online, per tenant, across realtime nodes. Each node writes one entry
 * per user it has sockets for ("online" when any of them is, else "away") and
 * renews its entries with a heartbeat; an entry not renewed in time (its node
 * died) no longer counts. A user's status is the best of their entries.
 */
export interface PresenceStore {
  /** This node's view of a user; null when it has no socket of theirs any more. */
  set(tenantId: string, userId: string, nodeId: string, status: Exclude<PresenceStatus, "offline"> | null, ttlMs: number): Promise<void>;
  /** Every user with a live entry, and their status. */
  list(tenantId: string): Promise<Map<string, PresenceStatus>>;
  close(): Promise<void>;
}

const rank: Record<PresenceStatus, number> = { offline: 0, away: 1, online: 2 };

function aggregate(entries: Iterable<[string, string]>, now: number): Map<string, PresenceStatus> {
  const result = new Map<string, PresenceStatus>();
  for (const [field, value] of entries) {
    const userId = field.split("|")[0]!;
    const [status, expires] = value.split("|") as [PresenceStatus, string];
    if (Number(expires) < now) continue;
    if (rank[status] > rank[result.get(userId) ?? "offline"]) result.set(userId, status);
  }
  return result;
}

/** One realtime node: presence in its memory. */
export function memoryPresence(): PresenceStore {
  const tenants = new Map<string, Map<string, string>>();
  return {
    async set(tenantId, userId, nodeId, status, ttlMs) {
      const entries = tenants.get(tenantId) ?? new Map<string, string>();
      tenants.set(tenantId, entries);
      if (status) entries.set(`${userId}|${nodeId}`, `${status}|${Date.now() + ttlMs}`);
      else entries.delete(`${userId}|${nodeId}`);
    },
    async list(tenantId) {
      return aggregate(tenants.get(tenantId) ?? [], Date.now());
    },
    async close() {},
  };
}

/** Several nodes: one Redis hash per tenant, `<user>|<node>` → `<status>|<expires at>`. */
export function redisPresence(redis: Redis): PresenceStore {
  const key = (tenantId: string) => `supportchat:presence:${tenantId}`;
  return {
    async set(tenantId, userId, nodeId, status, ttlMs) {
      if (status) {
        await redis.multi().hset(key(tenantId), `${userId}|${nodeId}`, `${status}|${Date.now() + ttlMs}`).pexpire(key(tenantId), ttlMs * 4).exec();
      } else {
        await redis.hdel(key(tenantId), `${userId}|${nodeId}`);
      }
    },
    async list(tenantId) {
      const entries = Object.entries(await redis.hgetall(key(tenantId)));
      const now = Date.now();
      const stale = entries.filter(([, value]) => Number(value.split("|")[1]) < now).map(([field]) => field);
      if (stale.length > 0) await redis.hdel(key(tenantId), ...stale);
      return aggregate(entries, now);
    },
    async close() {},
  };
}
