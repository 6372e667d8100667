import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { teamOrNotFound, teamView } from "./team-view";

/** Takes one person out of a team; someone not in it is NOT_FOUND. */
export async function removeTeamMember(db: DbClient, input: { tenantId: string; id: string; userId: string; actor: Actor }) {
  const team = await teamOrNotFound(db, input.id);
  if (!team.members.some((member) => member.user.id === input.userId)) throw new AppError("NOT_FOUND", "that person is not in this team");
  // deleteMany: a removal racing this one leaves nothing to delete, not an error.
  await db.teamMember.deleteMany({ where: { teamId: team.id, userId: input.userId } });
  await recordAudit(db, { tenantId: input.tenantId, action: "team.members_changed", actor: input.actor, targetType: "team", targetId: team.id, metadata: { removed: [input.userId] } });
  return teamView(await teamOrNotFound(db, team.id));
}
