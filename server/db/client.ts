import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
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

export const APP_ROLE = "supportchat_app";


function adapter(connectionString: string, max: number, role?: string) {
  // A startup parameter, so every pooled connection is switched before its first query.
  return new PrismaPg({ connectionString, max, ...(role ? { options: `-c role=${role}` } : {}) });
}

export function createSystemDb(connectionString: string, options: { max?: number } = {}) {
  // An empty extension gives it exactly the app client's types, so services take either.
  return new PrismaClient({ adapter: adapter(connectionString, options.max ?? 5) }).$extends({ name: "system" });
}

export type SystemDb = ReturnType<typeof createSystemDb>;

export function createAppDb(connectionString: string, options: { max?: number } = {}) {
  return new PrismaClient({ adapter: adapter(connectionString, options.max ?? 10, APP_ROLE) }).$extends(tenantScope);
}

/** The app role without the scope extension: only row-level security stands (tests prove it holds alone). */
export function createUnscopedAppDb(connectionString: string, options: { max?: number } = {}) {
  return new PrismaClient({ adapter: adapter(connectionString, options.max ?? 5, APP_ROLE) });
}

export type AppDb = ReturnType<typeof createAppDb>;

/** What services take: a full client or a transaction's client alike (Prisma's own definition of the latter). */
export type DbClient = Omit<AppDb, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

const globalForDb = globalThis as unknown as { supportChatAppDb?: AppDb; supportChatSystemDb?: SystemDb };

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set in this process");
  return url;
}

/** The process-wide app client (one pool per process). */
export function getDb(): AppDb {
  globalForDb.supportChatAppDb ??= createAppDb(databaseUrl());
  return globalForDb.supportChatAppDb;
}

/** The process-wide system client; use only through the functions in server/db/system-queries.ts. */
export function getSystemDb(): SystemDb {
  globalForDb.supportChatSystemDb ??= createSystemDb(databaseUrl(), { max: 3 });
  return globalForDb.supportChatSystemDb;
}
