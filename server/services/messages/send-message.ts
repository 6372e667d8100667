import { randomUUID } from "node:crypto";
import type { DbClient } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";
import { uuidPattern } from "@/server/db/app-pool";
import { messageCreated, messageUpdated } from "@/lib/events/payloads";
import type { AttachmentKind, Mention } from "@/lib/messages/content";
import { enqueueDelivery } from "@/server/channels/core/queue-delivery";
import { adapterFor } from "@/server/channels/registry";
import { recordEvent } from "@/server/services/events/record-event";
import { previewOf } from "./preview";
import type { Actor } from "@/server/services/audit/record-audit";

/** A reply pending with no progress for this long is stuck: its delivery job is gone or waiting out a long backoff. */
export const STUCK_AFTER_MS = 15 * 60_000;

/**
 * An agent's reply (or private note) in one transaction with its delivery job:
 * both commit or neither does. A retried send with the same client message id
 * returns the first message instead of storing a second. Notes never leave the product.
 */
export async function sendMessage(
  db: DbClient,
  input: {
    tenantId: string;
    conversationId: string;
    text?: string;
    uploadIds?: string[];
    isPrivate: boolean;
    clientMessageId?: string;
    replyToId?: string;
    /** Structured marks of a reply the product itself writes (an auto-reply's kind). */
    content?: Prisma.InputJsonObject;
    /** Members a private note calls in (each notified by the notifier, server/services/notifications). */
    mentions?: Mention[];
    actor: Actor;
  },
) {
  // Every reply of every channel starts here: the conversation, its customer's block, its channel and a resend's
  // first message in one statement (scoped by tenant here as the scoped client would, and by row-level security).
  if (!uuidPattern.test(input.conversationId)) throw new AppError("NOT_FOUND", "no such conversation");
  const [conversation] = await db.$queryRaw<{ id: string; blockedAt: Date | null; channelType: string; channelStatus: string; resentId: string | null }[]>`
    SELECT c.id, ct."blockedAt", ch.type AS "channelType", ch.status::text AS "channelStatus",
      (SELECT m.id FROM "Message" m WHERE m."conversationId" = c.id AND m."clientMessageId" = ${input.clientMessageId ?? null}) AS "resentId"
    FROM "Conversation" c JOIN "Contact" ct ON ct.id = c."contactId" JOIN "Channel" ch ON ch.id = c."channelId"
    WHERE c.id = ${input.conversationId}::uuid AND c."tenantId" = ${input.tenantId}::uuid`;
  if (!conversation) throw new AppError("NOT_FOUND", "no such conversation");
  if (conversation.resentId) {
    const existing = await db.message.findUnique({ where: { id: conversation.resentId } });
    if (existing) return existing;
  }
  if (!input.isPrivate) {
    if (conversation.blockedAt) throw new AppError("CONFLICT", "the customer has blocked the bot, so replies cannot reach them; you can still add a private note");
    if (conversation.channelStatus === "disconnected") throw new AppError("CONFLICT", "this conversation's channel is disconnected; reconnect it to reply");
  }
  if (input.replyToId) {
    const target = await db.message.findFirst({ where: { id: input.replyToId, conversationId: conversation.id }, select: { id: true } });
    if (!target) throw new AppError("NOT_FOUND", "the message to reply to is not in this conversation");
  }
  const uploadIds = input.uploadIds ?? [];
  const uploads = uploadIds.length
    ? await db.upload.findMany({ where: { id: { in: uploadIds } }, select: { id: true, fileName: true, mimeType: true, size: true } })
    : [];
  if (uploads.length !== new Set(uploadIds).size) throw new AppError("NOT_FOUND", "an attached file was not found; upload it again");
  const attachments = uploadIds.map((id) => {
    const upload = uploads.find((candidate) => candidate.id === id)!;
    // The type was read from the file's bytes when it was uploaded, never taken from the sender: only a real
    // JPEG, PNG or WebP goes as a photo (which Telegram shows as one), anything else as a document.
    const kind: AttachmentKind = /^image\/(jpeg|png|webp)$/.test(upload.mimeType) ? "photo" : "document";
    return { kind, uploadId: upload.id, fileName: upload.fileName, mimeType: upload.mimeType, size: upload.size };
  });
  if (!input.text && attachments.length === 0) throw new AppError("BAD_REQUEST", "write something or attach a file");
  const mentions = await checkMentions(db, input);
  const adapter = adapterFor(conversation.channelType);
  if (!input.isPrivate && attachments.some((attachment) => !adapter.capabilities.attachments.includes(attachment.kind))) {
    throw new AppError("BAD_REQUEST", "this conversation's channel cannot carry files; send text, or add the file to a private note");
  }
  // A note is complete once stored, and so is a reply whose customer reads the event log (the widget's visitor);
  // any other reply waits for the worker.
  const sentOnCommit = !input.isPrivate && adapter.deliveredByEventLog === true;
  const id = randomUUID();
  const message = await db.message.create({
    data: {
      id,
      tenantId: input.tenantId,
      conversationId: conversation.id,
      direction: "outbound",
      senderType: input.actor.userId ? "agent" : "bot",
      senderUserId: input.actor.userId,
      isPrivate: input.isPrivate,
      text: input.text || null,
      attachments,
      deliveryStatus: input.isPrivate || sentOnCommit ? "sent" : "pending",
      externalId: sentOnCommit ? id : undefined,
      clientMessageId: input.clientMessageId,
      replyToId: input.replyToId,
      content: mentions.length ? { ...input.content, mentions } : input.content,
    },
  });
  if (!input.isPrivate) {
    await db.conversation.update({
      where: { id: conversation.id },
      data: { lastMessageAt: message.createdAt, lastMessagePreview: previewOf({ text: input.text ?? null, attachments }) },
    });
    if (!sentOnCommit) await enqueueDelivery(db, message);
  }
  await recordEvent(db, { tenantId: input.tenantId, type: "message.created", conversationId: conversation.id, payload: messageCreated(message) });
  return message;
}

/**
 * A note's mentions as stored: each a current member, at an "@" inside the text, none
 * overlapping another (the composer's chips); the same person twice is kept (two places).
 */
async function checkMentions(db: DbClient, input: { text?: string; isPrivate: boolean; mentions?: Mention[] }): Promise<Mention[]> {
  const mentions = [...(input.mentions ?? [])].sort((a, b) => a.offset - b.offset);
  if (mentions.length === 0) return [];
  const refuse = (message: string) => new AppError("BAD_REQUEST", message, { fieldErrors: { mentions: [message] } });
  if (!input.isPrivate) throw refuse("mentions are for private notes only: a reply goes to the customer");
  const text = input.text ?? "";
  let end = 0;
  for (const mention of mentions) {
    if (mention.offset < end || mention.offset + mention.length > text.length || text[mention.offset] !== "@") throw refuse("each mention must cover an @name inside the note's text, none overlapping");
    end = mention.offset + mention.length;
  }
  const userIds = [...new Set(mentions.map((mention) => mention.userId))];
  const members = await db.membership.count({ where: { userId: { in: userIds } } });
  if (members !== userIds.length) throw refuse("a mentioned person is not a member of this workspace");
  return mentions.map(({ userId, offset, length }) => ({ userId, offset, length }));
}

/**
 * Puts a failed reply back in line for delivery (a discarded one too: retrying
 * undoes the discard). A stuck one (pending, untouched for STUCK_AFTER_MS) is
 * enqueued again: the job key replaces a job still waiting out its backoff, so
 * it runs now, and the chat's queue keeps it from running twice at once.
 */
export async function retryMessage(db: DbClient, input: { tenantId: string; messageId: string; now?: Date }) {
  const message = await db.message.findUnique({ where: { id: input.messageId }, include: { conversation: true } });
  if (!message) throw new AppError("NOT_FOUND", "no such message");
  const now = input.now ?? new Date();
  const stuck = message.deliveryStatus === "pending" && now.getTime() - message.updatedAt.getTime() > STUCK_AFTER_MS;
  if (message.direction !== "outbound" || message.isPrivate || (message.deliveryStatus !== "failed" && !stuck)) {
    throw new AppError("CONFLICT", "only a reply that failed to deliver, or is stuck pending, can be retried");
  }
  const updated = await db.message.update({ where: { id: message.id }, data: { deliveryStatus: "pending", deliveryError: null, discardedAt: null } });
  await enqueueDelivery(db, updated);
  await recordEvent(db, { tenantId: input.tenantId, type: "message.updated", conversationId: message.conversationId, payload: messageUpdated(updated) });
  return updated;
}

export async function listMessages(db: DbClient, input: { conversationId: string; before?: string; limit: number; includePrivate: boolean }) {
  const conversation = await db.conversation.findUnique({ where: { id: input.conversationId }, select: { id: true } });
  if (!conversation) throw new AppError("NOT_FOUND", "no such conversation");
  if (input.before && !(await db.message.findFirst({ where: { id: input.before, conversationId: conversation.id }, select: { id: true } }))) {
    throw new AppError("BAD_REQUEST", "this cursor is not a message of this conversation; start from the newest page", { fieldErrors: { before: ["not a message of this conversation"] } });
  }
  const rows = await db.message.findMany({
    where: { conversationId: conversation.id, ...(input.includePrivate ? {} : { isPrivate: false }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.before ? { cursor: { id: input.before }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { messages: page.reverse(), olderCursor: rows.length > input.limit ? page[0]!.id : null };
}
