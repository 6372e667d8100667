import { Prisma } from "@/server/db/generated/client";
import type { DbClient } from "@/server/db/client";
import { AppError, isMissingRecord } from "@/server/errors";
import { recordEvent } from "@/server/services/events/record-event";
import { effectiveModeSql } from "@/server/services/assignment/effective-policy";
import { conversationPriorities, type ConversationPriority } from "@/lib/conversations/priority";
import { decodeCursor, encodeCursor, type KeysetCursor } from "@/server/services/pagination/keyset-cursor";

export const conversationStatuses = ["open", "pending", "snoozed", "resolved"] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
/** `my_teams`: conversations of the teams the caller is in. */
export const inboxViews = ["mine", "unassigned", "my_teams", "all"] as const;
export type InboxView = (typeof inboxViews)[number];
export const inboxSorts = ["recent", "priority"] as const;
export type InboxSort = (typeof inboxSorts)[number];

/** What a row of the inbox shows, and what events carry about a conversation. */
const summarySelect = {
  id: true,
  status: true,
  labels: true,
  lastMessageAt: true,
  lastMessagePreview: true,
  unreadCount: true,
  snoozedUntil: true,
  priority: true,
  queuedAt: true,
  createdAt: true,
  updatedAt: true,
  channelId: true,
  team: { select: { id: true, name: true } },
  channel: { select: { id: true, name: true, type: true, status: true } },
  assignee: { select: { id: true, name: true } },
  contact: { select: { id: true, name: true, username: true, blockedAt: true } },
} satisfies Prisma.ConversationSelect;

/** A conversation's channel as clients read it: the column `type` is the channel's kind. */
function withChannelKind<Row extends { channel: { id: string; name: string; type: string; status: string } }>({ channel, ...row }: Row) {
  return { ...row, channel: { id: channel.id, name: channel.name, kind: channel.type, status: channel.status } };
}

export type ConversationSummary = ReturnType<typeof withChannelKind<Prisma.ConversationGetPayload<{ select: typeof summarySelect }>>>;

/**
 * Words of a search as a prefix query for PostgreSQL's full-text search: only
 * letters and digits survive, so nothing a person types can break the query.
 */
export function searchQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
  return words.length ? words.map((word) => `${word}:*`).join(" & ") : null;
}


export type ListInput = {
  view: InboxView;
  status: ConversationStatus;
  channelId?: string;
  /** A channel kind (`Channel.type`): only conversations on channels of that kind. */
  channelKind?: string;
  label?: string;
  /** One team's conversations. */
  teamId?: string;
  /** `recent` (newest activity first) or `priority` (most urgent first, none last; newest activity within each). */
  sort?: InboxSort;
  search?: string;
  cursor?: string;
  limit: number;
};

const NO_ONE = "00000000-0000-0000-0000-000000000000";

/** Rows after `cursor` in newest-activity order (conversations without a message last). */
function afterInTime(cursor: KeysetCursor): Prisma.ConversationWhereInput {
  return cursor.at
    ? { OR: [{ lastMessageAt: { lt: cursor.at } }, { lastMessageAt: cursor.at, id: { lt: cursor.id } }, { lastMessageAt: null }] }
    : { lastMessageAt: null, id: { lt: cursor.id } };
}

/** Rows after `cursor` in priority order: later priorities (none last), or the same priority and later in time. */
function afterInPriority(cursor: KeysetCursor): Prisma.ConversationWhereInput {
  // A cursor of the newest-first order carries no priority: it marks no place in this one.
  if (cursor.p === undefined) throw new AppError("BAD_REQUEST", "this cursor is from the list in another order; start from the first page", { fieldErrors: { cursor: ["from the list in another order"] } });
  const priority = cursor.p;
  if (priority === null) return { AND: [{ priority: null }, afterInTime(cursor)] };
  const later = conversationPriorities.slice(conversationPriorities.indexOf(priority) + 1);
  return { OR: [{ priority: { in: [...later] } }, { priority: null }, { AND: [{ priority }, afterInTime(cursor)] }] };
}

/**
 * The inbox list: one view (mine, unassigned, all) and status, optionally one
 * channel or channel kind, one label and a search over contact names and message text; newest
 * activity first, in pages. Counts per status are for the same view and filters.
 */
export async function listConversations(db: DbClient, input: ListInput & { userId?: string }) {
  const where: Prisma.ConversationWhereInput = {
    ...(input.view === "mine" ? { assigneeId: input.userId ?? NO_ONE } : {}),
    ...(input.view === "unassigned" ? { assigneeId: null } : {}),
    ...(input.view === "my_teams" ? { team: { members: { some: { userId: input.userId ?? NO_ONE } } } } : {}),
    ...(input.teamId ? { teamId: input.teamId } : {}),
    ...(input.channelId ? { channelId: input.channelId } : {}),
    ...(input.channelKind ? { channel: { type: input.channelKind } } : {}),
    ...(input.label ? { labels: { has: input.label } } : {}),
  };
  const query = input.search ? searchQuery(input.search) : null;
  if (input.search && !query) return { items: [], nextCursor: null, counts: { open: 0, pending: 0, snoozed: 0, resolved: 0 } };
  if (query) {
    // Row-level security scopes these to the tenant like everything else in this transaction.
    const matches = await db.$queryRaw<{ id: string }[]>`
      SELECT c.id FROM "Conversation" c JOIN "Contact" k ON k.id = c."contactId"
      WHERE to_tsvector('simple', k.name || ' ' || coalesce(k.username, '')) @@ to_tsquery('simple', ${query})
      UNION
      SELECT DISTINCT m."conversationId" FROM "Message" m
      WHERE to_tsvector('simple', coalesce(m.text, '')) @@ to_tsquery('simple', ${query}) AND NOT m."isPrivate"
      LIMIT 2000`;
    where.id = { in: matches.map((match) => match.id) };
  }
  const byPriority = input.sort === "priority";
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  const after = cursor ? (byPriority ? afterInPriority(cursor) : afterInTime(cursor)) : undefined;
  const inTime: Prisma.ConversationOrderByWithRelationInput[] = [{ lastMessageAt: { sort: "desc", nulls: "last" } }, { id: "desc" }];
  const [rows, grouped] = await Promise.all([
    db.conversation.findMany({
      where: { ...where, status: input.status, ...(after ? { AND: [after] } : {}) },
      // PostgreSQL orders an enum as declared: urgent, high, medium, low.
      orderBy: byPriority ? [{ priority: { sort: "asc", nulls: "last" } }, ...inTime] : inTime,
      take: input.limit + 1,
      select: summarySelect,
    }),
    db.conversation.groupBy({ by: ["status"], where, _count: { _all: true } }),
  ]);
  const items = rows.slice(0, input.limit).map(withChannelKind);
  const counts = { open: 0, pending: 0, snoozed: 0, resolved: 0 };
  for (const group of grouped) counts[group.status] = group._count._all;
  const last = items.at(-1);
  const nextCursor = rows.length > input.limit && last ? encodeCursor({ at: last.lastMessageAt, id: last.id, ...(byPriority ? { p: last.priority } : {}) }) : null;
  return { items, nextCursor, counts };
}

/** One conversation with what the contact panel shows. */
export async function getConversation(db: DbClient, input: { id: string }) {
  const conversation = await db.conversation.findUnique({
    where: { id: input.id },
    select: {
      ...summarySelect,
      externalChatId: true,
      externalThreadId: true,
      contact: {
        select: {
          id: true,
          name: true,
          username: true,
          email: true,
          phone: true,
          locale: true,
          labels: true,
          blockedAt: true,
          createdAt: true,
          // `details`: what the channel knows of the address (the widget: page, referrer, browser, pre-chat answers); customer-controlled.
          identities: { select: { channelId: true, externalId: true, username: true, details: true } },
          conversations: { select: { id: true, status: true, lastMessageAt: true, lastMessagePreview: true }, orderBy: { createdAt: "desc" }, take: 20 },
        },
      },
    },
  });
  if (!conversation) throw new AppError("NOT_FOUND", "no such conversation");
  return withChannelKind(conversation);
}

const summaryOf = async (db: DbClient, id: string) => withChannelKind(await db.conversation.findUniqueOrThrow({ where: { id }, select: summarySelect }));

/** Conversations' summaries as events carry them, for a change that touched many at once. */
export async function conversationSummaries(db: DbClient, ids: string[]): Promise<ConversationSummary[]> {
  if (ids.length === 0) return [];
  return (await db.conversation.findMany({ where: { id: { in: ids } }, select: summarySelect })).map(withChannelKind);
}

/** How far ahead a conversation can be snoozed. */
const MAX_SNOOZE_DAYS = 365;

export type UpdateInput = {
  id: string;
  assigneeId?: string | null;
  status?: ConversationStatus;
  snoozedUntil?: Date;
  labels?: string[];
  /** The team it belongs to; null: none. */
  teamId?: string | null;
  priority?: ConversationPriority | null;
};

/**
 * Assign, change status (snoozing until a time), set labels, move to a team or
 * set the priority; each change is an event every agent sees. Assigning needs a
 * member of this workspace, and a team one of its teams.
 */
export async function updateConversation(db: DbClient, input: UpdateInput & { tenantId: string; actorUserId?: string }) {
  const before = await db.conversation.findUnique({ where: { id: input.id }, select: { id: true, status: true, assigneeId: true, labels: true, teamId: true, priority: true } });
  if (!before) throw new AppError("NOT_FOUND", "no such conversation");
  const data: Prisma.ConversationUpdateInput = {};
  if (input.assigneeId !== undefined && input.assigneeId !== before.assigneeId) {
    if (input.assigneeId !== null) {
      const member = await db.membership.findFirst({ where: { userId: input.assigneeId }, select: { id: true } });
      if (!member) throw new AppError("BAD_REQUEST", "that person is not a member of this workspace", { fieldErrors: { assigneeId: ["not a member of this workspace"] } });
    }
    data.assignee = input.assigneeId === null ? { disconnect: true } : { connect: { id: input.assigneeId } };
    // A person's choice: out of the queue, and never taken back by a policy.
    Object.assign(data, { autoAssigned: false, queuedAt: null, queueWaiting: false });
  }
  if (input.status !== undefined) {
    if (input.status === "snoozed") {
      if (!input.snoozedUntil || input.snoozedUntil.getTime() <= Date.now()) {
        throw new AppError("BAD_REQUEST", "snoozing needs a time in the future", { fieldErrors: { snoozedUntil: ["pick a time in the future"] } });
      }
      // Further out is a typo, not a plan; and year 275760 was stored, then read back as null.
      if (input.snoozedUntil.getTime() > Date.now() + MAX_SNOOZE_DAYS * 86_400_000) {
        throw new AppError("BAD_REQUEST", `snoozing is for at most ${MAX_SNOOZE_DAYS} days`, { fieldErrors: { snoozedUntil: [`pick a time within ${MAX_SNOOZE_DAYS} days`] } });
      }
      data.snoozedUntil = input.snoozedUntil;
    } else {
      data.snoozedUntil = null;
    }
    data.status = input.status;
    if (input.status !== "open") Object.assign(data, { queuedAt: null, queueWaiting: false });
    data.resolvedAt = input.status === "resolved" ? new Date() : null;
  }
  if (input.labels !== undefined) data.labels = [...new Set(input.labels)];
  const teamChanged = input.teamId !== undefined && input.teamId !== before.teamId;
  // Connecting checks the team: another workspace's is invisible here, so it is missing like nobody's.
  if (teamChanged) data.team = input.teamId === null ? { disconnect: true } : { connect: { id: input.teamId! } };
  const priorityChanged = input.priority !== undefined && input.priority !== before.priority;
  if (priorityChanged) data.priority = input.priority;
  if (Object.keys(data).length === 0) return summaryOf(db, input.id);
  await db.conversation.update({ where: { id: input.id }, data }).catch((error: unknown) => {
    if (teamChanged && isMissingRecord(error)) throw new AppError("BAD_REQUEST", "there is no such team in this workspace", { fieldErrors: { teamId: ["not a team of this workspace"] } });
    throw error;
  });
  // Moved into a team whose policy assigns: an open, unassigned conversation joins its queue.
  if (teamChanged && input.teamId) {
    await db.$executeRaw`
      UPDATE "Conversation" c SET "queuedAt" = COALESCE(c."queuedAt", now())
      WHERE c.id = ${input.id}::uuid AND c.status = 'open' AND c."assigneeId" IS NULL AND ${Prisma.raw(effectiveModeSql("c"))} <> 'off'`;
  }
  const conversation = await summaryOf(db, input.id);
  const event = (type: "assignee.changed" | "conversation.status_changed" | "conversation.updated" | "team.changed" | "priority.changed", extra: Record<string, unknown> = {}) =>
    recordEvent(db, { tenantId: input.tenantId, type, conversationId: input.id, payload: { conversation, by: input.actorUserId ?? null, ...extra } });
  if (data.assignee) await event("assignee.changed", { previousAssigneeId: before.assigneeId, reason: "manual" });
  if (input.status !== undefined && input.status !== before.status) await event("conversation.status_changed", { previousStatus: before.status });
  if (input.labels !== undefined) await event("conversation.updated");
  if (teamChanged) await event("team.changed", { previousTeamId: before.teamId });
  if (priorityChanged) await event("priority.changed", { previousPriority: before.priority });
  return conversation;
}

/**
 * An agent read the conversation: its unread count goes to zero, for everyone,
 * and the time is kept (`agentReadAt`) for channels that show the customer
 * "seen" (the website widget follows the event's `agentReadAt`).
 */
export async function markConversationRead(db: DbClient, input: { id: string; tenantId: string }) {
  const before = await db.conversation.findUnique({ where: { id: input.id }, select: { unreadCount: true } });
  if (!before) throw new AppError("NOT_FOUND", "no such conversation");
  if (before.unreadCount === 0) return summaryOf(db, input.id);
  const agentReadAt = new Date();
  await db.conversation.update({ where: { id: input.id }, data: { unreadCount: 0, agentReadAt } });
  const conversation = await summaryOf(db, input.id);
  await recordEvent(db, { tenantId: input.tenantId, type: "conversation.updated", conversationId: input.id, payload: { conversation: { ...conversation, agentReadAt }, agentReadAt } });
  return conversation;
}
