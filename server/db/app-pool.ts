import pg from "pg";
import { APP_ROLE } from "./role";
import { isRequestId } from "@/server/http/api-error";
import { originSettings, type TransactionOrigin } from "./tenant-scope";

/**
 * A process's connections: one node-postgres pool per role. The app role's serves the
 * Prisma app client (getDb) and the paths where Prisma's per-query cost (about a
 * millisecond each, measured) would cap throughput — Telegram intake, the widget,
 * realtime's catch-up — through `withTenantSql`, which sets the tenant for one
 * transaction; row-level security applies alike. The owner's serves the system
 * client (getSystemDb) and the lookups before a tenant is known. One pool per role
 * instead of one per client keeps a process's connections to what it uses at once:
 * six processes fit PostgreSQL's default 100 connections (scripts/scale-out.ts).
 *
 * Nothing may wait for a second connection of a pool while holding one of it
 * (a tenant procedure's transaction holds one): with every connection held so, the
 * waits would only end at Prisma's transaction timeout.
 */
/**
 * Prisma keeps DateTime in `timestamp(3)` columns as UTC. node-postgres would read
 * them as local time and write Dates in the local zone, so this pool works in UTC
 * both ways, whatever the machine's time zone.
 */
const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
const utcTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE && format !== "binary"
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function createAppPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, options: `-c role=${APP_ROLE} -c TimeZone=UTC`, types: utcTypes });
  pool.on("error", () => undefined); // an idle connection the server dropped; the next query reconnects
  return pool;
}

/** The owner's role, for the lookups that precede knowing the tenant (a webhook's channel). */
export function createSystemPool(connectionString: string, max = 3): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, options: "-c TimeZone=UTC", types: utcTypes });
  pool.on("error", () => undefined);
  return pool;
}

const globalForPool = globalThis as unknown as { supportChatAppPool?: pg.Pool; supportChatSystemPool?: pg.Pool };

/** The owner's pool: a few connections, for lookups across tenants and the log's readers. */
export const SYSTEM_POOL_SIZE = 3;

/** DATABASE_POOL_SIZE (validated at start, lib/env.ts): the app role's connections in each process. */
export function appPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const size = Number(env.DATABASE_POOL_SIZE);
  return Number.isInteger(size) && size > 0 ? size : 10;
}

export function getSystemPool(): pg.Pool {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set in this process");
  globalForPool.supportChatSystemPool ??= createSystemPool(process.env.DATABASE_URL, SYSTEM_POOL_SIZE);
  return globalForPool.supportChatSystemPool;
}

export function getAppPool(): pg.Pool {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set in this process");
  globalForPool.supportChatAppPool ??= createAppPool(process.env.DATABASE_URL, appPoolSize());
  return globalForPool.supportChatAppPool;
}

/** A process's last step with the database: ends its pools (after its clients have disconnected). */
export async function endPools(): Promise<void> {
  const pools = [globalForPool.supportChatAppPool, globalForPool.supportChatSystemPool];
  globalForPool.supportChatAppPool = globalForPool.supportChatSystemPool = undefined;
  await Promise.all(pools.map((pool) => pool?.end()));
}

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** withTenant for this pool; `origin.requestId` becomes `app.request_id`, as there. */
export async function withTenantSql<T>(
  pool: pg.Pool,
  tenantId: string,
  fn: (client: pg.PoolClient) => Promise<T>,
  origin: TransactionOrigin = {},
  /** Transaction-level advisory locks to hold, in this order, before `fn` runs: keys of 64 hex digits (intake's `chatLock`). */
  options: { locks?: string[] } = {},
): Promise<T> {
  // Inlined (after checking their shape: a uuid, a request id has no quotes, a lock key is hex) so BEGIN, the settings
  // and the lock take one round trip.
  if (!uuidPattern.test(tenantId)) throw new Error("tenant id is not a uuid");
  const locks = options.locks ?? [];
  if (locks.some((key) => !/^[0-9a-f]{64}$/.test(key))) throw new Error("lock key is not 64 hex digits");
  const { requestId, traceparent } = originSettings(origin);
  if (requestId !== "" && !isRequestId(requestId)) throw new Error("request id is malformed");
  const client = await pool.connect();
  try {
    // currentTraceparent gives "" or a checked W3C traceparent (hex and dashes).
    await client.query(
      `BEGIN; SELECT set_config('app.tenant_id', '${tenantId}', true), set_config('app.request_id', '${requestId}', true)` +
        (traceparent ? `, set_config('app.traceparent', '${traceparent}', true)` : "") +
        locks.map((key) => `; SELECT pg_advisory_xact_lock(hashtextextended('${key}', 0))`).join(""),
    );
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
