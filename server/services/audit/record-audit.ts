import type { AuditAction } from "@/lib/audit/actions";
import type { DbClient } from "@/server/db/client";

/** Who did it, and from where: carried from the request into every audited service call. */
export type Actor = {
  userId?: string;
  apiKeyId?: string;
  requestId?: string;
  ip?: string;
};

export async function recordAudit(
  db: DbClient,
  entry: {
    tenantId: string | null;
    action: AuditAction;
    actor: Actor;
    targetType?: string;
    targetId?: string;
    metadata?: Record<string, unknown>;
  },
): Promise<void> {
  await db.auditLog.create({
    data: {
      tenantId: entry.tenantId,
      action: entry.action,
      actorUserId: entry.actor.userId,
      actorApiKeyId: entry.actor.apiKeyId,
      requestId: entry.actor.requestId,
      ip: entry.actor.ip,
      targetType: entry.targetType,
      targetId: entry.targetId,
      metadata: (entry.metadata ?? {}) as object,
    },
  });
}
