import type { DbClient } from "@/server/db/client";
import type { Role } from "@/server/db/generated/enums";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { assertMayManage } from "@/server/services/members/role-rules";

export async function revokeInvitation(
  db: DbClient,
  input: { tenantId: string; id: string; actorRole: Role; actor: Actor },
) {
  const invitation = await db.invitation.findUnique({ where: { id: input.id } });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt) throw new AppError("NOT_FOUND", "no such pending invitation");
  assertMayManage(input.actorRole, invitation.role);
  await db.invitation.update({ where: { id: invitation.id }, data: { revokedAt: new Date() } });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "invitation.revoked",
    actor: input.actor,
    targetType: "invitation",
    targetId: invitation.id,
    metadata: { email: invitation.email },
  });
}
