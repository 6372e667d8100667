import type { DbClient } from "@/server/db/client";
import { AppError, isMissingRecord } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { assertMembers, teamOrNotFound, teamView } from "./team-view";

/** Adds members of this workspace to a team; those already in it are left as they are (and nothing is recorded for them). */
export async function addTeamMembers(db: DbClient, input: { tenantId: string; id: string; userIds: string[]; actor: Actor }) {
  const team = await teamOrNotFound(db, input.id);
  const present = new Set(team.members.map((member) => member.user.id));
  const userIds = [...new Set(input.userIds)].filter((userId) => !present.has(userId));
  if (userIds.length === 0) return teamView(team);
  await assertMembers(db, userIds);
  await db.teamMember.createMany({ data: userIds.map((userId) => ({ tenantId: input.tenantId, teamId: team.id, userId })), skipDuplicates: true }).catch((error: unknown) => {
    // The team was deleted since it was read, a moment ago.
    throw isMissingRecord(error) ? new AppError("NOT_FOUND", "no such team") : error;
  });
  await recordAudit(db, { tenantId: input.tenantId, action: "team.members_changed", actor: input.actor, targetType: "team", targetId: team.id, metadata: { added: userIds } });
  return teamView(await teamOrNotFound(db, team.id));
}
