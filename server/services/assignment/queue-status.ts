import type { DbClient } from "@/server/db/client";

/**
 * The queue as the inbox shows it: how many conversations wait for an agent (a policy covers
 * them and nobody has them), since when the longest has waited, and how many of those are in
 * the caller's teams.
 */
export async function queueStatus(db: DbClient, input: { tenantId: string; userId?: string }) {
  const [row] = await db.$queryRaw<{ waiting: number; oldest: Date | null; mine: number }[]>`
    SELECT count(*)::int AS waiting, min(c."queuedAt") AS oldest,
      count(*) FILTER (WHERE c."teamId" IN (SELECT t."teamId" FROM "TeamMember" t WHERE t."tenantId" = ${input.tenantId}::uuid AND t."userId" = ${input.userId ?? null}::uuid))::int AS mine
    FROM "Conversation" c
    WHERE c."tenantId" = ${input.tenantId}::uuid AND c."queuedAt" IS NOT NULL AND c."assigneeId" IS NULL AND c.status = 'open'`;
  return { waiting: row?.waiting ?? 0, oldestQueuedAt: row?.oldest ?? null, inMyTeams: row?.mine ?? 0 };
}
