import type { DbClient } from "@/server/db/client";

/** The advisory-lock class of assignment decisions (the first key; the second is the workspace's). */
const ASSIGNMENT_LOCK_CLASS = 16016;

/**
 * Takes the workspace's assignment lock for the rest of the caller's transaction: every decision
 * that gives conversations to agents or takes them back holds it, so two processes deciding at
 * once see each other's commits, never the same agent's room twice.
 */
export async function lockAssignment(db: DbClient, tenantId: string): Promise<void> {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(${ASSIGNMENT_LOCK_CLASS}::int, hashtext(${tenantId}))`;
}
