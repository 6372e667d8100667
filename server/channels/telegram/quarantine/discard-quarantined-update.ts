import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";

/**
 * Gives up on a quarantined update: it leaves the channel's list and the
 * count, and is kept (marked discarded, with who and when) rather than deleted,
 * so the audit entry still points at what was given up. Only a pending one can be.
 */
export async function discardQuarantinedUpdate(db: DbClient, input: { tenantId: string; id: string; actor: Actor }) {
  const found = await db.quarantinedUpdate.findUnique({ where: { id: input.id }, select: { id: true, status: true, updateId: true, errorCode: true, error: true } });
  if (!found) throw new AppError("NOT_FOUND", "no such quarantined update");
  const resolvedAt = new Date();
  // Conditional on still pending: a retry or discard committed meanwhile wins, and this one is told so.
  const { count } = await db.quarantinedUpdate.updateMany({
    where: { id: found.id, status: "pending" },
    data: { status: "discarded", resolvedAt, resolvedByUserId: input.actor.userId ?? null, resolvedByApiKeyId: input.actor.apiKeyId ?? null },
  });
  if (count === 0) throw new AppError("CONFLICT", `this update was already ${found.status === "pending" ? "resolved" : found.status}`);
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "quarantined_update.discarded",
    actor: input.actor,
    targetType: "quarantined_update",
    targetId: found.id,
    metadata: { updateId: found.updateId === null ? null : Number(found.updateId), errorCode: found.errorCode, error: found.error },
  });
  return { id: found.id, status: "discarded" as const, resolvedAt };
}
