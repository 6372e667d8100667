import type { DbClient } from "@/server/db/client";
import { teamSelect, teamView } from "./team-view";

/** Every team of the workspace, by name; `mine` marks those the caller belongs to. */
export async function listTeams(db: DbClient, input: { userId?: string }) {
  const teams = await db.team.findMany({ orderBy: { name: "asc" }, select: teamSelect });
  return teams.map((team) => ({ ...teamView(team), mine: input.userId ? team.members.some((member) => member.user.id === input.userId) : false }));
}
