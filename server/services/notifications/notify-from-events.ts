import type { DbClient } from "@/server/db/client";
import type { EventPayloads, MessageRecord } from "@/lib/events/payloads";
import type { Mention } from "@/lib/messages/content";
import { resolvePreferences, type NotificationType } from "@/lib/notifications/preferences";
import { enqueue } from "@/server/jobs/queue";
import { recordEvents } from "@/server/services/events/record-event";
import { previewOf } from "@/server/services/messages/preview";
import { EMAIL_TASK, emailRunAt, PUSH_TASK } from "./delivery-jobs";
import { notificationView } from "./notification-view";

/** An event of the log as the notifier reads it (the relay's LoggedEvent has these fields). */
export type NotifierEvent = { eventId: string; type: string; conversationId: string | null; data: Record<string, unknown>; at: string };

type Wanted = { userId: string; type: NotificationType; conversationId: string; messageId?: string; actorUserId: string | null; eventId: string; preview: string | null };
type Joining = { conversationId: string; userId: string; reason: "replied" | "mentioned" | "assigned"; addedById: string | null };

/**
 * What a batch of one workspace's events means for its people, made in the caller's
 * transaction (the notifier's, one per workspace and batch; server/worker/notifier.ts):
 * participants who joined (an agent who wrote, was mentioned or assigned), one notification
 * per person per event — never to the person who caused it, and only to current members —
 * the `notification.created` event that shows it to that person alone, and the push and
 * email jobs their preferences ask for. Replaying events makes nothing twice: a notification
 * is unique per person and event, and only the new ones get an event or a job.
 */
export async function notifyFromEvents(db: DbClient, input: { tenantId: string; events: NotifierEvent[]; mail: boolean; now?: Date }): Promise<{ created: number }> {
  const conversationIds = [...new Set(input.events.map((event) => event.conversationId).filter((id): id is string => id !== null))];
  if (conversationIds.length === 0) return { created: 0 };
  const conversations = new Map(
    (
      await db.conversation.findMany({
        where: { id: { in: conversationIds } },
        select: { id: true, assigneeId: true, teamId: true, lastMessagePreview: true, contact: { select: { name: true } }, participants: { select: { userId: true } } },
      })
    ).map((conversation) => [conversation.id, conversation]),
  );
  const teamIds = [...new Set([...conversations.values()].map((conversation) => conversation.teamId).filter((id): id is string => id !== null))];
  const teamMembers = teamIds.length
    ? await db.teamMember.findMany({ where: { teamId: { in: teamIds } }, select: { teamId: true, userId: true } })
    : [];

  const wanted: Wanted[] = [];
  const joining: Joining[] = [];
  for (const event of input.events) {
    const conversation = event.conversationId ? conversations.get(event.conversationId) : undefined;
    if (!conversation) continue;
    // Who takes part already, including who joined earlier in this batch.
    const taking = new Set([conversation.assigneeId, ...conversation.participants.map((p) => p.userId), ...joining.filter((j) => j.conversationId === conversation.id).map((j) => j.userId)]);
    const base = { conversationId: conversation.id, eventId: event.eventId };
    if (event.type === "message.created") {
      const message = (event.data as EventPayloads["message.created"]).message;
      // Automatic replies, the system's lines and API keys' bots tell nobody; people and customers do.
      if (message.senderType !== "contact" && message.senderType !== "agent") continue;
      const author = message.senderType === "agent" ? message.senderUserId : null;
      const mentioned = new Set(mentionsOf(message).filter((userId) => userId !== author));
      const preview = previewOf(message);
      for (const userId of mentioned) wanted.push({ ...base, userId, type: "mention", messageId: message.id, actorUserId: author, preview });
      for (const userId of taking) {
        if (userId && userId !== author && !mentioned.has(userId)) wanted.push({ ...base, userId, type: "message.new", messageId: message.id, actorUserId: author, preview });
      }
      if (author) joining.push({ conversationId: conversation.id, userId: author, reason: "replied", addedById: null });
      for (const userId of mentioned) joining.push({ conversationId: conversation.id, userId, reason: "mentioned", addedById: author });
    } else if (event.type === "assignee.changed") {
      const payload = event.data as EventPayloads["assignee.changed"];
      const assigneeId = linked(payload.conversation, "assignee");
      if (!assigneeId) continue;
      joining.push({ conversationId: conversation.id, userId: assigneeId, reason: "assigned", addedById: payload.by ?? null });
      if (assigneeId !== payload.by) wanted.push({ ...base, userId: assigneeId, type: "conversation.assigned", actorUserId: payload.by ?? null, preview: conversation.lastMessagePreview });
    } else if (event.type === "conversation.created" || event.type === "team.changed") {
      // A conversation that reaches a team with nobody on it waits in that team's queue: its members hear of it.
      const payload = event.data as { conversation: Record<string, unknown>; by?: string | null };
      const teamId = linked(payload.conversation, "team");
      if (!teamId || linked(payload.conversation, "assignee")) continue;
      for (const member of teamMembers) {
        if (member.teamId === teamId && member.userId !== payload.by) wanted.push({ ...base, userId: member.userId, type: "queue.waiting", actorUserId: payload.by ?? null, preview: conversation.lastMessagePreview });
      }
    }
  }

  const people = [...new Set([...wanted.map((w) => w.userId), ...joining.map((j) => j.userId)])];
  if (people.length === 0) return { created: 0 };
  const members = await db.membership.findMany({ where: { userId: { in: people } }, select: { userId: true, user: { select: { name: true } } } });
  const names = new Map(members.map((member) => [member.userId, member.user.name]));
  const actorIds = [...new Set(wanted.map((w) => w.actorUserId).filter((id): id is string => id !== null && !names.has(id)))];
  if (actorIds.length) for (const actor of await db.membership.findMany({ where: { userId: { in: actorIds } }, select: { userId: true, user: { select: { name: true } } } })) names.set(actor.userId, actor.user.name);
  const isMember = new Set(members.map((member) => member.userId));

  const joins = joining.filter((join) => isMember.has(join.userId));
  if (joins.length) await db.conversationParticipant.createMany({ data: joins.map((join) => ({ tenantId: input.tenantId, ...join })), skipDuplicates: true });

  const stored = await db.notificationPreference.findMany({ where: { userId: { in: people } }, select: { userId: true, settings: true } });
  const preferences = new Map(stored.map((row) => [row.userId, resolvePreferences(row.settings)]));
  const defaults = resolvePreferences(undefined);
  const choices = (row: { userId: string; type: string }) => (preferences.get(row.userId) ?? defaults).types[row.type as NotificationType];
  // One per person per event (a mention already outranks "a new message" above); nobody who chose no medium for the type.
  const seen = new Set<string>();
  const rows = wanted.filter((w) => {
    const key = `${w.userId}|${w.eventId}`;
    if (!isMember.has(w.userId) || seen.has(key)) return false;
    seen.add(key);
    const chosen = choices(w);
    return chosen.inApp || chosen.push || chosen.email;
  });
  if (rows.length === 0) return { created: 0 };
  const created = await db.notification.createManyAndReturn({
    data: rows.map((w) => ({
      tenantId: input.tenantId,
      userId: w.userId,
      type: w.type,
      conversationId: w.conversationId,
      messageId: w.messageId ?? null,
      actorUserId: w.actorUserId,
      sourceEventId: BigInt(w.eventId),
      inApp: choices(w).inApp,
      data: { contactName: conversations.get(w.conversationId)?.contact.name ?? "", actorName: w.actorUserId ? (names.get(w.actorUserId) ?? null) : null, preview: w.preview ?? "" },
    })),
    skipDuplicates: true,
  });
  if (created.length === 0) return { created: 0 };

  await recordEvents(
    db,
    created
      .filter((row) => row.inApp)
      .map((row) => ({ tenantId: input.tenantId, type: "notification.created" as const, payload: { userId: row.userId, notification: notificationView(row) } })),
  );
  const pushable = created.filter((row) => choices(row).push);
  if (pushable.length) {
    const devices = new Set((await db.pushSubscription.findMany({ where: { userId: { in: [...new Set(pushable.map((row) => row.userId))] } }, select: { userId: true } })).map((row) => row.userId));
    for (const row of pushable) if (devices.has(row.userId)) await enqueue(db, { task: PUSH_TASK, payload: { tenantId: input.tenantId, notificationId: row.id }, maxAttempts: 5 });
  }
  if (input.mail) {
    const emailed = created.filter((row) => row.conversationId && choices(row).email);
    const pairs = [...new Map(emailed.map((row) => [`${row.userId}|${row.conversationId}`, { userId: row.userId, conversationId: row.conversationId! }])).values()];
    for (const pair of pairs) {
      const runAt = await emailRunAt(db, { ...pair, now: input.now ?? new Date() });
      // One job per person and conversation: a later notification replaces the waiting job with the same time.
      await enqueue(db, { task: EMAIL_TASK, payload: { tenantId: input.tenantId, ...pair }, key: `notification-email:${pair.userId}:${pair.conversationId}`, runAt, maxAttempts: 10 });
    }
  }
  return { created: created.length };
}

/**
 * The assignee's or team's id in an event's conversation: services write the inbox's summary
 * (`assignee: { id, name }`), intake the row (`assigneeId`).
 */
function linked(conversation: Record<string, unknown>, relation: "assignee" | "team"): string | null {
  const nested = conversation[relation] as { id?: unknown } | null | undefined;
  if (nested && typeof nested.id === "string") return nested.id;
  const column = conversation[`${relation}Id`];
  return typeof column === "string" ? column : null;
}

/** The people a note mentions (structured: the composer stores each mention's user id and place in the text). */
function mentionsOf(message: MessageRecord): string[] {
  if (!message.isPrivate) return [];
  const mentions = (message.content as { mentions?: Mention[] } | null)?.mentions;
  return Array.isArray(mentions) ? [...new Set(mentions.map((mention) => mention.userId))] : [];
}
