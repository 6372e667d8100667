import type { DbClient } from "@/server/db/client";
import type { Role } from "@/server/db/generated/enums";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { assertAnotherOwnerRemains } from "./owner-guard";
import { assertMayManage } from "./role-rules";

export async function updateMemberRole(
  db: DbClient,
  input: { tenantId: string; membershipId: string; role: Role; actorRole: Role; actor: Actor },
) {
  const membership = await db.membership.findUnique({ where: { id: input.membershipId } });
  if (!membership) throw new AppError("NOT_FOUND", "no such member");
  assertMayManage(input.actorRole, membership.role);
  assertMayManage(input.actorRole, input.role);
  if (membership.role === input.role) return membership;
  if (membership.role === "owner") await assertAnotherOwnerRemains(db, input.tenantId, membership.id, "demoted");
  const updated = await db.membership.update({ where: { id: membership.id }, data: { role: input.role } });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "member.role_changed",
    actor: input.actor,
    targetType: "user",
    targetId: membership.userId,
    metadata: { from: membership.role, to: input.role },
  });
  return updated;
}
