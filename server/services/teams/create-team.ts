import type { DbClient } from "@/server/db/client";
import { AppError, isUniqueViolation } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { assertMembers, assertNameFree, MAX_TEAMS, nameKeyOf, nameTaken, teamSelect, teamView } from "./team-view";

/**
 * A new team, with members of this workspace from the start if given. The
 * cap is checked before the insert, so two creates racing for the last place
 * may both pass it: it bounds the list, it is not a quota.
 */
export async function createTeam(db: DbClient, input: { tenantId: string; name: string; description?: string | null; userIds?: string[]; actor: Actor }) {
  if ((await db.team.count()) >= MAX_TEAMS) throw new AppError("CONFLICT", `a workspace has at most ${MAX_TEAMS} teams; delete one you no longer use first`);
  await assertNameFree(db, input.name);
  const userIds = [...new Set(input.userIds ?? [])];
  if (userIds.length > 0) await assertMembers(db, userIds);
  const team = await db.team
    .create({
      data: {
        tenantId: input.tenantId,
        name: input.name,
        nameKey: nameKeyOf(input.name),
        description: input.description || null,
        members: { create: userIds.map((userId) => ({ tenantId: input.tenantId, userId })) },
      },
      select: teamSelect,
    })
    .catch((error: unknown) => {
      // The same name, created meanwhile by someone else.
      throw isUniqueViolation(error) ? nameTaken(input.name) : error;
    });
  await recordAudit(db, { tenantId: input.tenantId, action: "team.created", actor: input.actor, targetType: "team", targetId: team.id, metadata: { name: team.name, members: userIds.length } });
  return teamView(team);
}
