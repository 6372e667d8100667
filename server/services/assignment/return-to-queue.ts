import { Prisma } from "@/server/db/generated/client";
import type { DbClient } from "@/server/db/client";
import { conversationSummaries } from "@/server/services/conversations/conversations";
import { recordEvents } from "@/server/services/events/record-event";
import { effectiveReturnSql } from "./effective-policy";

/**
 * Takes back to the queue the open conversations a policy gave `userId`, where that policy
 * returns after `offlineForMinutes` or less (0: at once); what a person assigned stays. The caller
 * holds the assignment lock. They wait from now, ahead of nothing: a returned conversation is
 * `queue` work like one that found no room. Answers how many went back.
 */
export async function returnToQueue(db: DbClient, input: { tenantId: string; userId: string; offlineForMinutes: number; offlineSince: Date; now?: Date }): Promise<number> {
  const now = input.now ?? new Date();
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "Conversation" c SET "assigneeId" = NULL, "autoAssigned" = false, "queuedAt" = ${now}, "queueWaiting" = true, "updatedAt" = ${now}
    WHERE c."tenantId" = ${input.tenantId}::uuid AND c."assigneeId" = ${input.userId}::uuid AND c.status = 'open' AND c."autoAssigned"
      AND ${Prisma.raw(effectiveReturnSql("c"))} <= ${input.offlineForMinutes}::int
    RETURNING c.id`;
  if (rows.length === 0) return 0;
  const offlineSinceMs = Math.max(0, now.getTime() - input.offlineSince.getTime());
  const summaries = await conversationSummaries(db, rows.map((row) => row.id));
  await recordEvents(
    db,
    summaries.map((conversation) => ({
      tenantId: input.tenantId,
      type: "assignee.changed" as const,
      conversationId: conversation.id,
      payload: { conversation, by: null, previousAssigneeId: input.userId, reason: "offline" as const, waitedMs: 0, offlineSinceMs },
    })),
  );
  return rows.length;
}
