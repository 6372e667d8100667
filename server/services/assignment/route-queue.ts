import { Prisma } from "@/server/db/generated/client";
import type { DbClient } from "@/server/db/client";
import type { AssignmentReason } from "@/lib/events/payloads";
import { conversationSummaries } from "@/server/services/conversations/conversations";
import { recordEvents, type EventInput } from "@/server/services/events/record-event";
import { getSettings } from "@/server/services/settings/settings";
import { lockAssignment } from "./assignment-lock";
import { effectiveModeSql } from "./effective-policy";

type Mode = "off" | "round_robin" | "balanced";
type Agent = { userId: string; capacity: number; load: number; order: number; teams: Set<string> };
type Queued = { id: string; status: string; teamId: string | null; assigneeId: string | null; queuedAt: Date; queueWaiting: boolean; mode: Mode };
type Assignment = { id: string; userId: string; reason: AssignmentReason; rule: Exclude<Mode, "off">; waitedMs: number; previousAssigneeId: string | null };

/** Conversations one pass decides at most; a longer queue takes further passes. */
export const ROUTE_BATCH = 500;

/** Round robin: whoever was given one longest ago (never first); balanced: fewest open first, then the same. */
function pick(candidates: Agent[], mode: Exclude<Mode, "off">): Agent | undefined {
  let best: Agent | undefined;
  for (const agent of candidates) {
    if (agent.load >= agent.capacity) continue;
    if (!best) best = agent;
    else if (mode === "balanced" && agent.load !== best.load) best = agent.load < best.load ? agent : best;
    else if (agent.order !== best.order) best = agent.order < best.order ? agent : best;
    else if (agent.userId < best.userId) best = agent;
  }
  return best;
}

/**
 * Gives the workspace's waiting conversations to online agents with room, in queue order
 * (priority, then the longest waiting), under the workspace's assignment lock and in the
 * caller's transaction: the decision and the conversation's update commit together. A
 * conversation in a team goes to that team's members, one without a team to any member.
 * A reopened conversation (queued with its assignee) stays with them when they are online
 * and have room, else it is taken from them and given on. Those nobody has room for wait,
 * marked so, and their later assignment says `queue`. `more`: the batch was full, run again.
 */
export async function routeQueue(db: DbClient, input: { tenantId: string; now?: Date }): Promise<{ assigned: number; waiting: number; more: boolean }> {
  const { tenantId } = input;
  await lockAssignment(db, tenantId);
  const now = input.now ?? new Date();
  const { values } = await getSettings(db, { tenantId });
  const rows = await db.$queryRaw<{ userId: string; capacity: number; load: number; lastAssignedAt: Date | null; teams: string[] }[]>`
    SELECT m."userId", COALESCE(m.capacity, ${values.assignment.defaultCapacity}::int) AS capacity, m."lastAssignedAt",
      (SELECT count(*)::int FROM "Conversation" c
        WHERE c."tenantId" = ${tenantId}::uuid AND c."assigneeId" = m."userId" AND c.status = 'open' AND c."queuedAt" IS NULL) AS load,
      ARRAY(SELECT t."teamId"::text FROM "TeamMember" t WHERE t."tenantId" = ${tenantId}::uuid AND t."userId" = m."userId") AS teams
    FROM "Membership" m WHERE m."tenantId" = ${tenantId}::uuid AND m.availability = 'online'`;
  const agents = rows.map((row): Agent => ({ userId: row.userId, capacity: row.capacity, load: row.load, order: row.lastAssignedAt?.getTime() ?? 0, teams: new Set(row.teams) }));
  const byUser = new Map(agents.map((agent) => [agent.userId, agent]));
  const withRoom = agents.filter((agent) => agent.load < agent.capacity);
  const teamsWithRoom = [...new Set(withRoom.flatMap((agent) => [...agent.teams]))];
  // A conversation already waiting needs a look only when someone who may take it has room: else a
  // batch full of one busy team's waiting conversations would hide another team's behind it.
  const queued = await db.$queryRaw<Queued[]>`
    SELECT c.id, c.status::text, c."teamId", c."assigneeId", c."queuedAt", c."queueWaiting", ${Prisma.raw(effectiveModeSql("c"))} AS mode
    FROM "Conversation" c
    WHERE c."tenantId" = ${tenantId}::uuid AND c."queuedAt" IS NOT NULL
      AND (NOT c."queueWaiting" OR c."assigneeId" IS NOT NULL OR (c."teamId" IS NULL AND ${withRoom.length > 0}) OR c."teamId" = ANY(${teamsWithRoom}::uuid[]))
    ORDER BY c.priority ASC NULLS LAST, c."queuedAt", c.id
    LIMIT ${ROUTE_BATCH} FOR UPDATE OF c SKIP LOCKED`;

  const assignments: Assignment[] = [];
  const returned: { id: string; previousAssigneeId: string; reason: AssignmentReason; waitedMs: number }[] = [];
  const settled: string[] = [];
  const waiting: string[] = [];
  let tick = 0;
  for (const conversation of queued) {
    if (conversation.status !== "open" || conversation.mode === "off") {
      settled.push(conversation.id);
      continue;
    }
    const waitedMs = Math.max(0, now.getTime() - conversation.queuedAt.getTime());
    let previousAssigneeId: string | null = null;
    if (conversation.assigneeId) {
      const previous = byUser.get(conversation.assigneeId);
      if (previous && previous.load < previous.capacity) {
        previous.load++;
        settled.push(conversation.id);
        continue;
      }
      previousAssigneeId = conversation.assigneeId;
    }
    const candidates = conversation.teamId ? agents.filter((agent) => agent.teams.has(conversation.teamId!)) : agents;
    const agent = pick(candidates, conversation.mode);
    if (agent) {
      agent.load++;
      agent.order = now.getTime() + ++tick;
      const reason: AssignmentReason = conversation.queueWaiting ? "queue" : "auto";
      assignments.push({ id: conversation.id, userId: agent.userId, reason, rule: conversation.mode, waitedMs, previousAssigneeId });
    } else if (previousAssigneeId) {
      returned.push({ id: conversation.id, previousAssigneeId, reason: byUser.has(previousAssigneeId) ? "queue" : "offline", waitedMs });
    } else if (!conversation.queueWaiting) {
      waiting.push(conversation.id);
    }
  }

  if (assignments.length > 0) {
    await db.$executeRaw`
      UPDATE "Conversation" c SET "assigneeId" = v."userId", "queuedAt" = NULL, "queueWaiting" = false, "autoAssigned" = true, "updatedAt" = ${now}
      FROM unnest(${assignments.map((a) => a.id)}::uuid[], ${assignments.map((a) => a.userId)}::uuid[]) AS v(id, "userId")
      WHERE c.id = v.id`;
    const given = agents.filter((agent) => agent.order > now.getTime());
    await db.$executeRaw`
      UPDATE "Membership" m SET "lastAssignedAt" = v.at::timestamp
      FROM unnest(${given.map((agent) => agent.userId)}::uuid[], ${given.map((agent) => new Date(agent.order).toISOString())}::text[]) AS v("userId", at)
      WHERE m."tenantId" = ${tenantId}::uuid AND m."userId" = v."userId"`;
  }
  if (returned.length > 0) {
    await db.$executeRaw`
      UPDATE "Conversation" SET "assigneeId" = NULL, "queueWaiting" = true, "autoAssigned" = false, "updatedAt" = ${now}
      WHERE id = ANY(${returned.map((r) => r.id)}::uuid[])`;
  }
  if (settled.length > 0) await db.$executeRaw`UPDATE "Conversation" SET "queuedAt" = NULL, "queueWaiting" = false WHERE id = ANY(${settled}::uuid[])`;
  if (waiting.length > 0) await db.$executeRaw`UPDATE "Conversation" SET "queueWaiting" = true WHERE id = ANY(${waiting}::uuid[])`;

  const changed = [...assignments.map((a) => a.id), ...returned.map((r) => r.id)];
  if (changed.length > 0) {
    const summaries = new Map((await conversationSummaries(db, changed)).map((summary) => [summary.id, summary]));
    const events: EventInput<"assignee.changed">[] = [
      ...assignments.map((a) => ({
        tenantId,
        type: "assignee.changed" as const,
        conversationId: a.id,
        payload: { conversation: summaries.get(a.id)!, by: null, previousAssigneeId: a.previousAssigneeId, reason: a.reason, rule: a.rule, waitedMs: a.waitedMs },
      })),
      ...returned.map((r) => ({
        tenantId,
        type: "assignee.changed" as const,
        conversationId: r.id,
        payload: { conversation: summaries.get(r.id)!, by: null, previousAssigneeId: r.previousAssigneeId, reason: r.reason, waitedMs: r.waitedMs },
      })),
    ];
    await recordEvents(db, events);
  }
  const stillWaiting = queued.length - assignments.length - settled.length;
  // A full batch that changed something may have more behind it; one that changed nothing would change nothing again.
  const changedAny = assignments.length + returned.length + settled.length + waiting.length > 0;
  return { assigned: assignments.length, waiting: stillWaiting, more: queued.length === ROUTE_BATCH && changedAny };
}
