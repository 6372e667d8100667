import type { DbClient } from "@/server/db/client";
import { isUniqueViolation } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { assertNameFree, nameKeyOf, nameTaken, teamOrNotFound, teamSelect, teamView } from "./team-view";

/** Renames or describes a team (an empty description clears it); what is left out stays. Audited with what changed. */
export async function updateTeam(db: DbClient, input: { tenantId: string; id: string; name?: string; description?: string | null; actor: Actor }) {
  const before = await teamOrNotFound(db, input.id);
  const data: { name?: string; nameKey?: string; description?: string | null } = {};
  if (input.name !== undefined && input.name !== before.name) {
    await assertNameFree(db, input.name, before.id);
    Object.assign(data, { name: input.name, nameKey: nameKeyOf(input.name) });
  }
  if (input.description !== undefined && (input.description || null) !== before.description) data.description = input.description || null;
  if (Object.keys(data).length === 0) return teamView(before);
  const team = await db.team.update({ where: { id: before.id }, data, select: teamSelect }).catch((error: unknown) => {
    throw isUniqueViolation(error) ? nameTaken(input.name ?? before.name) : error;
  });
  const changed = Object.keys(data).filter((key) => key !== "nameKey");
  await recordAudit(db, { tenantId: input.tenantId, action: "team.updated", actor: input.actor, targetType: "team", targetId: team.id, metadata: { changed } });
  return teamView(team);
}
