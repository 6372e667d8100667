import type { Settings } from "@/lib/settings/schema";
import { pickVariant, renderTemplate } from "@/lib/templates/render";
import type { AppDb, DbClient } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { Logger } from "@/server/logger";
import { announceEvents } from "@/server/realtime/announce";
import { sendMessage } from "@/server/services/messages/send-message";
import { getSettings } from "@/server/services/settings/settings";
import type { AutoReplyJob } from "./auto-reply-trigger";
import { isWithinBusinessHours } from "./business-hours";

/**
 * Auto-replies: a greeting when a customer starts talking, an "away" message
 * when they write outside business hours. The job (enqueued by intake, see
 * auto-reply-trigger.ts) decides and sends through the normal outbound path: a
 * pending bot reply marked `content.autoReply`, delivered by the worker.
 */

type AutoReplyKind = "greeting" | "away";

/**
 * A job that runs this long after the customer's latest message (the worker was
 * down) sends nothing: by then an agent may well have answered, and a greeting
 * that late reads as a glitch. It is also at most the shortest period (1 hour),
 * which the greeting rule below relies on.
 */
const AUTO_REPLY_STALE_AFTER_MS = 60 * 60_000;

type AutoReplyOutcome = { sent: AutoReplyKind; messageId: string } | { sent: null; reason: string };

const HOUR_MS = 60 * 60_000;

/**
 * Which auto-reply, if any, the conversation is due (the conversation row is
 * locked by the caller, so two jobs for it decide one after the other):
 *
 * - "away": away replies and business hours are on, and the customer's latest
 *   message was written when the workspace was closed (in its time zone).
 *   Handled at most once per conversation per `periodHours` (the conversation's
 *   `awayHandledAt`): sent, or, with no template to send, logged once rather
 *   than at every message; while it applies, no greeting.
 * - "greeting": the customer started a conversation — the first of their
 *   recent messages came after no message at all (theirs, an agent's or the
 *   bot's; notes aside) for `periodHours`: a new conversation, or one quiet for
 *   the period — and the away reply does not apply. A customer answering an
 *   agent's late reply is not greeted. Also at most once per conversation per period.
 *
 * Times are the messages' own (when the customer wrote), so a job that runs a
 * little late decides as it would have at once.
 */
async function dueReply(db: DbClient, settings: Settings, conversation: { id: string; awayHandledAt: Date | null }, now: Date): Promise<AutoReplyKind | string> {
  const { greeting, away, periodHours } = settings.autoReplies;
  const periodStart = new Date(now.getTime() - periodHours * HOUR_MS);
  const recent = await db.message.findMany({
    where: { conversationId: conversation.id, direction: "inbound", createdAt: { gte: new Date(now.getTime() - AUTO_REPLY_STALE_AFTER_MS) } },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true },
  });
  const first = recent[0];
  const latest = recent.at(-1);
  if (!first || !latest) return "no recent message from the customer";

  const open = isWithinBusinessHours(settings, latest.createdAt);
  if (away.enabled && !open) {
    return conversation.awayHandledAt && conversation.awayHandledAt >= periodStart ? "away reply already handled within the period" : "away";
  }
  if (!greeting.enabled) return "no auto-reply applies";
  if (!open) return "outside business hours, and the greeting is for when the team is there";
  // Every recent message is within the stale window (≤ the shortest period) of the first, so only the first can start the conversation.
  const before = await db.message.findFirst({
    where: { conversationId: conversation.id, isPrivate: false, createdAt: { gte: new Date(first.createdAt.getTime() - periodHours * HOUR_MS), lt: first.createdAt } },
    select: { id: true },
  });
  if (before) return "the conversation was already going within the period";
  const greeted = await db.message.count({
    where: { conversationId: conversation.id, direction: "outbound", senderType: "bot", content: { path: ["autoReply"], equals: "greeting" }, createdAt: { gte: periodStart } },
  });
  return greeted > 0 ? "greeting already sent within the period" : "greeting";
}

/** The `automation.auto_reply` job: decides whether the conversation is due an auto-reply, and sends it. */
export async function runAutoReply(deps: { appDb: AppDb; log: Logger; now?: Date }, job: AutoReplyJob): Promise<AutoReplyOutcome> {
  const now = deps.now ?? new Date();
  const outcome = await withTenant(deps.appDb, job.tenantId, async (db): Promise<AutoReplyOutcome> => {
    const { values: settings } = await getSettings(db, { tenantId: job.tenantId });
    if (!settings.autoReplies.greeting.enabled && !settings.autoReplies.away.enabled) return { sent: null, reason: "auto-replies are off" };
    // One decision at a time per conversation: a second job for it waits here and then sees what the first sent.
    const [locked] = await db.$queryRaw<{ id: string; awayHandledAt: Date | null }[]>`
      SELECT id, "awayHandledAt" FROM "Conversation" WHERE id = ${job.conversationId}::uuid FOR UPDATE`;
    if (!locked) return { sent: null, reason: "no such conversation" };
    const due = await dueReply(db, settings, locked, now);
    if (due !== "greeting" && due !== "away") return { sent: null, reason: due };

    const conversation = await db.conversation.findUniqueOrThrow({ where: { id: job.conversationId }, include: { contact: true, channel: true } });
    if (conversation.contact.blockedAt) return { sent: null, reason: "the customer has blocked the bot" };
    if (conversation.channel.status === "disconnected") return { sent: null, reason: "the channel is disconnected" };
    const templateKey = settings.autoReplies[due].templateKey;
    const template = templateKey
      ? await db.template.findFirst({ where: { key: templateKey, kind: { in: ["auto_reply", "canned"] } }, include: { variants: true } })
      : null;
    const variant = template ? pickVariant(template.variants, conversation.contact.locale, settings.defaultLocale) : undefined;
    // The away reply counts as handled either way, so intake stops queueing jobs for it until the period ends.
    const handled = (at: Date) => (due === "away" ? db.conversation.update({ where: { id: job.conversationId }, data: { awayHandledAt: at } }) : undefined);
    const { name, username } = conversation.contact;
    // A customer must never see a placeholder: a variable the contact has no value for (or agentName, which a
    // bot's reply has none of) is written as nothing.
    const variables = { firstName: name.split(/\s+/)[0], name, username: username ?? undefined };
    const text = variant ? renderTemplate(variant.body, variant.locale, variables, { placeholder: () => "" }).text.replace(/ {2,}/g, " ").replace(/ ([,.!?])/g, "$1").trim() : "";
    if (!text) {
      await handled(now);
      deps.log.warn({ tenantId: job.tenantId, conversationId: job.conversationId, kind: due, templateKey }, "auto-reply not sent: no template with a text for it");
      return { sent: null, reason: `no template with a text for the ${due} reply (${templateKey ?? "none chosen"})` };
    }
    const message = await sendMessage(db, { tenantId: job.tenantId, conversationId: job.conversationId, text, isPrivate: false, content: { autoReply: due }, actor: {} });
    await handled(message.createdAt);
    return { sent: due, messageId: message.id };
  }, { requestId: job.requestId });
  if (outcome.sent) announceEvents(deps.appDb);
  return outcome;
}
