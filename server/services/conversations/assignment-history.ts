import type { DbClient } from "@/server/db/client";
import type { AssignmentReason } from "@/lib/events/payloads";
import { AppError } from "@/server/errors";

/** The most assignment changes the thread shows (the newest). */
const HISTORY_LIMIT = 100;

export type AssignmentEntry = {
  /** The event's id in the log. */
  id: string;
  at: Date;
  assigneeId: string | null;
  previousAssigneeId: string | null;
  /** Who assigned by hand (null: a policy, or an API key). */
  by: string | null;
  reason: AssignmentReason;
  rule: "round_robin" | "balanced" | null;
  waitedMs: number | null;
};

type Payload = { conversation?: { assignee?: { id: string } | null }; previousAssigneeId?: string | null; by?: string | null; reason?: AssignmentReason; rule?: "round_robin" | "balanced"; waitedMs?: number };

/**
 * Who had the conversation, when, and why, oldest first, from its `assignee.changed` events:
 * the lines the thread shows between messages ("assigned by round robin", "returned to queue:
 * agent offline"). Events from before reasons were recorded count as manual.
 */
export async function assignmentHistory(db: DbClient, input: { id: string }): Promise<AssignmentEntry[]> {
  const conversation = await db.conversation.findUnique({ where: { id: input.id }, select: { id: true } });
  if (!conversation) throw new AppError("NOT_FOUND", "no such conversation");
  const rows = await db.$queryRaw<{ id: string; createdAt: Date; payload: Payload }[]>`
    SELECT id::text, "createdAt", payload FROM "Event"
    WHERE "conversationId" = ${input.id}::uuid AND type = 'assignee.changed'
    ORDER BY id DESC LIMIT ${HISTORY_LIMIT}`;
  return rows.reverse().map((row) => ({
    id: row.id,
    at: row.createdAt,
    assigneeId: row.payload.conversation?.assignee?.id ?? null,
    previousAssigneeId: row.payload.previousAssigneeId ?? null,
    by: row.payload.by ?? null,
    reason: row.payload.reason ?? "manual",
    rule: row.payload.rule ?? null,
    waitedMs: row.payload.waitedMs ?? null,
  }));
}
