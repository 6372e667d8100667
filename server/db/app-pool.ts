import pg from "pg";
import { APP_ROLE } from "./client";

/**
 * A plain node-postgres pool running as the app role, for the one path where
 * Prisma's per-query cost (about a millisecond each, measured) would cap
 * throughput: Telegram intake. Row-level security applies exactly as for the
 * Prisma app client; `withTenantSql` sets the tenant for one transaction.
 */
export function createAppPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, options: `-c role=${APP_ROLE}` });
  pool.on("error", () => undefined); // an idle connection the server dropped; the next query reconnects
  return pool;
}

const globalForPool = globalThis as unknown as { supportChatAppPool?: pg.Pool };

export function getAppPool(): pg.Pool {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set in this process");
  globalForPool.supportChatAppPool ??= createAppPool(process.env.DATABASE_URL);
  return globalForPool.supportChatAppPool;
}

export async function withTenantSql<T>(pool: pg.Pool, tenantId: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
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
