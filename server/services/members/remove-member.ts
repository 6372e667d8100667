import type { DbClient } from "@/server/db/client";
import type { Role } from "@/server/db/generated/enums";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { assertAnotherOwnerRemains } from "./owner-guard";
import { assertMayManage } from "./role-rules";

/**
 * Access ends with the membership row: every request checks membership, so the
 * removed member's next request is refused. Their messages stay; their assignments and team memberships go.
 */
export async function removeMember(
  db: DbClient,
  input: { tenantId: string; membershipId: string; actorRole: Role; actor: Actor },
) {
  const membership = await db.membership.findUnique({ where: { id: input.membershipId } });
  if (!membership) throw new AppError("NOT_FOUND", "no such member");
  assertMayManage(input.actorRole, membership.role);
  if (membership.role === "owner") await assertAnotherOwnerRemains(db, input.tenantId, membership.id, "removed");
  await db.membership.delete({ where: { id: membership.id } });
  await db.conversation.updateMany({ where: { assigneeId: membership.userId }, data: { assigneeId: null } });
  await db.teamMember.deleteMany({ where: { userId: membership.userId } });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "member.removed",
    actor: input.actor,
    targetType: "user",
    targetId: membership.userId,
    metadata: { role: membership.role },
  });
}
