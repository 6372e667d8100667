import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";

/** A member's own capacity (open conversations a policy gives them at most); null: the workspace's default. */
export async function setCapacity(db: DbClient, input: { tenantId: string; userId: string; capacity: number | null; actor: Actor }) {
  const member = await db.membership.findFirst({ where: { userId: input.userId }, select: { id: true, capacity: true } });
  if (!member) throw new AppError("NOT_FOUND", "that person is not a member of this workspace", { fieldErrors: { userId: ["not a member of this workspace"] } });
  if (member.capacity === input.capacity) return { userId: input.userId, capacity: input.capacity };
  await db.membership.update({ where: { id: member.id }, data: { capacity: input.capacity } });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "member.capacity_changed",
    actor: input.actor,
    targetType: "membership",
    targetId: member.id,
    metadata: { userId: input.userId, before: member.capacity, after: input.capacity },
  });
  return { userId: input.userId, capacity: input.capacity };
}
