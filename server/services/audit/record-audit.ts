import type { DbClient } from "@/server/db/client";

export const auditActions = [
  "auth.sign_in_failed",
  "api_key.created",
  "api_key.revoked",
  "member.invited",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "invitation.revoked",
  "channel.connected",
  "channel.disconnected",
  "settings.updated",
] as const;

export type AuditAction = (typeof auditActions)[number];

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
