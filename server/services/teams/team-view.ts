import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";

/** The most members one call adds: a team is a handful to a few hundred people. */
export const MAX_MEMBERS_PER_CALL = 200;
/** Teams per workspace: enough for any support organisation, and the list (with its members) stays one small read. */
export const MAX_TEAMS = 500;

export const teamSelect = {
  id: true,
  name: true,
  description: true,
  createdAt: true,
  updatedAt: true,
  members: { select: { user: { select: { id: true, name: true } } }, orderBy: { createdAt: "asc" } },
  _count: { select: { conversations: { where: { status: { not: "resolved" } } } } },
} as const;

type TeamRow = { id: string; name: string; description: string | null; createdAt: Date; updatedAt: Date; members: { user: { id: string; name: string } }[]; _count: { conversations: number } };

/** A team as clients read it: its members by id and name, and how many of its conversations are not resolved. */
export function teamView(team: TeamRow) {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    createdAt: team.createdAt,
    updatedAt: team.updatedAt,
    members: team.members.map((member) => member.user),
    openConversations: team._count.conversations,
  };
}

export type TeamView = ReturnType<typeof teamView>;

/** The name as teams are told apart: "Billing" and "billing" are one team (a unique index on it says so). */
export const nameKeyOf = (name: string) => name.toLowerCase();

export const nameTaken = (name: string) => new AppError("CONFLICT", `a team named "${name}" already exists`, { fieldErrors: { name: ["another team has this name"] } });

export async function assertNameFree(db: DbClient, name: string, exceptId?: string) {
  const clash = await db.team.findFirst({ where: { nameKey: nameKeyOf(name), ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  if (clash) throw nameTaken(name);
}

export async function teamOrNotFound(db: DbClient, id: string) {
  const team = await db.team.findUnique({ where: { id }, select: teamSelect });
  if (!team) throw new AppError("NOT_FOUND", "no such team");
  return team;
}

const notMembers = (count: number) => new AppError("BAD_REQUEST", "only members of this workspace can join a team", { fieldErrors: { userIds: [`not members of this workspace: ${count}`] } });

/** Members of this workspace among `userIds`; anyone else is a field error, not a silent drop. */
export async function assertMembers(db: DbClient, userIds: string[]) {
  const members = await db.membership.findMany({ where: { userId: { in: userIds } }, select: { userId: true } });
  const known = new Set(members.map((member) => member.userId));
  const strangers = userIds.filter((id) => !known.has(id));
  if (strangers.length > 0) throw notMembers(strangers.length);
}
