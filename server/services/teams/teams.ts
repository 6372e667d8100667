import type { DbClient } from "@/server/db/client";
import { AppError, isUniqueViolation } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";

/** The most members one call adds: a team is a handful to a few hundred people. */
export const MAX_MEMBERS_PER_CALL = 200;
/** Teams per workspace: enough for any support organisation, and the list (with its members) stays one small read. */
export const MAX_TEAMS = 500;

const teamSelect = {
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
function teamView(team: TeamRow) {
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

const nameTaken = (name: string) => new AppError("CONFLICT", `a team named "${name}" already exists`, { fieldErrors: { name: ["another team has this name"] } });

/** Names are compared as people read them: "Billing" and "billing " are one team. */
async function assertNameFree(db: DbClient, name: string, exceptId?: string) {
  const clash = await db.team.findFirst({ where: { name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  if (clash) throw nameTaken(name);
}

/** Every team of the workspace, by name; `mine` marks those the caller belongs to. */
export async function listTeams(db: DbClient, input: { userId?: string }) {
  const teams = await db.team.findMany({ orderBy: { name: "asc" }, select: teamSelect });
  return teams.map((team) => ({ ...teamView(team), mine: input.userId ? team.members.some((member) => member.user.id === input.userId) : false }));
}

async function teamOrNotFound(db: DbClient, id: string) {
  const team = await db.team.findUnique({ where: { id }, select: teamSelect });
  if (!team) throw new AppError("NOT_FOUND", "no such team");
  return team;
}

/** Members of this workspace among `userIds`; anyone else is a field error, not a silent drop. */
async function assertMembers(db: DbClient, userIds: string[]) {
  const members = await db.membership.findMany({ where: { userId: { in: userIds } }, select: { userId: true } });
  const known = new Set(members.map((member) => member.userId));
  const strangers = userIds.filter((id) => !known.has(id));
  if (strangers.length > 0) throw new AppError("BAD_REQUEST", "only members of this workspace can join a team", { fieldErrors: { userIds: [`not members of this workspace: ${strangers.length}`] } });
}

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
        description: input.description || null,
        members: { create: userIds.map((userId) => ({ tenantId: input.tenantId, userId })) },
      },
      select: teamSelect,
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? nameTaken(input.name) : error;
    });
  await recordAudit(db, { tenantId: input.tenantId, action: "team.created", actor: input.actor, targetType: "team", targetId: team.id, metadata: { name: team.name, members: userIds.length } });
  return teamView(team);
}

export async function updateTeam(db: DbClient, input: { tenantId: string; id: string; name?: string; description?: string | null; actor: Actor }) {
  const before = await teamOrNotFound(db, input.id);
  const data: { name?: string; description?: string | null } = {};
  if (input.name !== undefined && input.name !== before.name) {
    await assertNameFree(db, input.name, before.id);
    data.name = input.name;
  }
  if (input.description !== undefined && (input.description || null) !== before.description) data.description = input.description || null;
  if (Object.keys(data).length === 0) return teamView(before);
  const team = await db.team.update({ where: { id: before.id }, data, select: teamSelect }).catch((error: unknown) => {
    throw isUniqueViolation(error) ? nameTaken(input.name ?? before.name) : error;
  });
  await recordAudit(db, { tenantId: input.tenantId, action: "team.updated", actor: input.actor, targetType: "team", targetId: team.id, metadata: { changed: Object.keys(data) } });
  return teamView(team);
}

/**
 * Deletes a team; its conversations stay, no longer in any team (each gets a
 * `team.changed` event, so open inboxes move them out of the team's view).
 */
export async function deleteTeam(db: DbClient, input: { tenantId: string; id: string; actor: Actor }) {
  const team = await teamOrNotFound(db, input.id);
  const conversations = await db.conversation.findMany({ where: { teamId: team.id }, select: { id: true } });
  await db.conversation.updateMany({ where: { teamId: team.id }, data: { teamId: null } });
  await db.team.delete({ where: { id: team.id } });
  if (conversations.length > 0) {
    await db.event.createMany({
      data: conversations.map((conversation) => ({
        tenantId: input.tenantId,
        type: "team.changed",
        conversationId: conversation.id,
        payload: { conversation: { id: conversation.id, team: null }, previousTeamId: team.id, by: input.actor.userId ?? null, reason: "team deleted" },
      })),
    });
  }
  await recordAudit(db, { tenantId: input.tenantId, action: "team.deleted", actor: input.actor, targetType: "team", targetId: team.id, metadata: { name: team.name, conversations: conversations.length } });
  return { id: team.id, conversations: conversations.length };
}

export async function addTeamMembers(db: DbClient, input: { tenantId: string; id: string; userIds: string[]; actor: Actor }) {
  const team = await teamOrNotFound(db, input.id);
  const present = new Set(team.members.map((member) => member.user.id));
  const userIds = [...new Set(input.userIds)].filter((userId) => !present.has(userId));
  if (userIds.length === 0) return teamView(team);
  await assertMembers(db, userIds);
  await db.teamMember.createMany({ data: userIds.map((userId) => ({ tenantId: input.tenantId, teamId: team.id, userId })), skipDuplicates: true });
  await recordAudit(db, { tenantId: input.tenantId, action: "team.members_changed", actor: input.actor, targetType: "team", targetId: team.id, metadata: { added: userIds } });
  return teamView(await teamOrNotFound(db, team.id));
}

export async function removeTeamMember(db: DbClient, input: { tenantId: string; id: string; userId: string; actor: Actor }) {
  const team = await teamOrNotFound(db, input.id);
  if (!team.members.some((member) => member.user.id === input.userId)) throw new AppError("NOT_FOUND", "that person is not in this team");
  await db.teamMember.delete({ where: { teamId_userId: { teamId: team.id, userId: input.userId } } });
  await recordAudit(db, { tenantId: input.tenantId, action: "team.members_changed", actor: input.actor, targetType: "team", targetId: team.id, metadata: { removed: [input.userId] } });
  return teamView(await teamOrNotFound(db, team.id));
}
