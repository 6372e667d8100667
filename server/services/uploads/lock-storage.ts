import type { DbClient } from "@/server/db/client";

/**
 * Holds the workspace's storage lock until the transaction ends: whoever checks
 * the quota and then stores a file does both before the next one checks.
 * An advisory lock rather than a row lock, because the app role may not lock
 * the tenant's row and no other work should wait on it.
 */
export async function lockStorage(db: DbClient, tenantId: string): Promise<void> {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`upload-storage:${tenantId}`}, 0))`;
}
