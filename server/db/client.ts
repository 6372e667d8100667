import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { getAppPool, getSystemPool } from "./app-pool";
import { PrismaClient } from "./generated/client";
import { APP_ROLE } from "./role";
import { tenantScope } from "./tenant-scope";

/**
 * Two kinds of connection to one database:
 *
 * - the app client, whose queries run as the `supportchat_app` role: it cannot
 *   bypass row-level security, and its model queries are scoped to the current
 *   tenant by the tenant-scope extension. Everything a request does uses it.
 * - the system client, connected as DATABASE_URL's own role (the tables' owner):
 *   migrations, the operator CLI, the demo seed, and the few lookups that must
 *   cross tenants before a tenant is known (an API key by its hash, a user's memberships).
 */

export { APP_ROLE };

/**
 * A connection string gives the client a pool of its own; a pool (the process's, from app-pool.ts) is
 * shared with the node-postgres paths of the same role, so a process holds one pool per role.
 */
type Connection = string | pg.Pool;

function adapter(connection: Connection, max: number, role?: string) {
  if (typeof connection !== "string") return new PrismaPg(connection);
  // A startup parameter, so every pooled connection is switched before its first query.
  return new PrismaPg({ connectionString: connection, max, ...(role ? { options: `-c role=${role}` } : {}) });
}

export function createSystemDb(connection: Connection, options: { max?: number } = {}) {
  // An empty extension gives it exactly the app client's types, so services take either.
  return new PrismaClient({ adapter: adapter(connection, options.max ?? 5) }).$extends({ name: "system" });
}

export type SystemDb = ReturnType<typeof createSystemDb>;

export function createAppDb(connection: Connection, options: { max?: number } = {}) {
  return new PrismaClient({ adapter: adapter(connection, options.max ?? 10, APP_ROLE) }).$extends(tenantScope);
}

/** The app role without the scope extension: only row-level security stands (tests prove it holds alone). */
export function createUnscopedAppDb(connectionString: string, options: { max?: number } = {}) {
  return new PrismaClient({ adapter: adapter(connectionString, options.max ?? 5, APP_ROLE) });
}

export type AppDb = ReturnType<typeof createAppDb>;

/** What services take: a full client or a transaction's client alike (Prisma's own definition of the latter). */
export type DbClient = Omit<AppDb, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { supportChatAppDb?: AppDb; supportChatSystemDb?: SystemDb };

/** The process-wide app client, over the process's app-role pool (getAppPool). */
export function getDb(): AppDb {
  globalForDb.supportChatAppDb ??= createAppDb(getAppPool());
  return globalForDb.supportChatAppDb;
}

/** The process-wide system client, over the process's owner pool (getSystemPool); use only through the functions in server/db/system-queries.ts. */
export function getSystemDb(): SystemDb {
  globalForDb.supportChatSystemDb ??= createSystemDb(getSystemPool());
  return globalForDb.supportChatSystemDb;
}
