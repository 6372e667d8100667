import type { DbClient } from "@/server/db/client";
import { recordEvent } from "@/server/services/events/record-event";
import { previewOf } from "@/server/services/messages/preview";
import { afterResolvedRule } from "@/server/services/settings/conversation-rules";
import { normalizeUpdate, type Attachment, type InboundChat, type MessageContent, type NormalizedUpdate, type Sender, type TelegramUpdate } from "./normalize-update";

export type IngestResult = "ok" | "duplicate" | "ignored";

type Scope = { tenantId: string; channelId: string };

/**
 * Takes one Telegram update into the inbox, idempotently: run it in one
 * transaction (the caller's), bound to the channel's tenant. A retried update
 * (same update_id) and a re-sent one (same chat and message id, or callback id)
 * change nothing. Telegram sends a chat's updates one at a time, and one poller
 * reads a channel, so a chat's updates never race each other here.
 */
export async function ingestUpdate(db: DbClient, scope: Scope, update: TelegramUpdate): Promise<IngestResult> {
  const inserted = await db.$executeRaw`
    INSERT INTO "ProcessedUpdate" ("channelId", "updateId", "tenantId") VALUES (${scope.channelId}::uuid, ${update.update_id}, ${scope.tenantId}::uuid)
    ON CONFLICT DO NOTHING`;
  if (inserted === 0) return "duplicate";
  return apply(db, scope, normalizeUpdate(update));
}

async function apply(db: DbClient, scope: Scope, update: NormalizedUpdate): Promise<IngestResult> {
  switch (update.kind) {
    case "message":
      return takeMessage(db, scope, update);
    case "edit":
      return takeEdit(db, scope, update);
    case "blocked":
    case "unblocked":
      return takeBlock(db, scope, update.sender, update.kind === "blocked");
    case "migrated":
      return takeMigration(db, scope, update.chat, update.toChatId);
    case "ignored":
      return "ignored";
  }
}

/** A person in a private chat, or the group itself: whoever the conversation is with. */
async function contactFor(db: DbClient, scope: Scope, chat: InboundChat, sender: Sender) {
  const isPrivate = chat.type === "private";
  const externalId = isPrivate ? sender.id : `chat:${chat.id}`;
  const name = isPrivate ? sender.name : chat.title;
  const username = isPrivate ? sender.username : undefined;
  const identity = await db.contactIdentity.findUnique({
    where: { channelId_externalId: { channelId: scope.channelId, externalId } },
    include: { contact: true },
  });
  if (identity) {
    if (identity.contact.name !== name || (username && identity.contact.username !== username)) {
      return db.contact.update({ where: { id: identity.contactId }, data: { name, ...(username ? { username } : {}) } });
    }
    return identity.contact;
  }
  const contact = await db.contact.create({
    data: { tenantId: scope.tenantId, name, username, locale: isPrivate ? sender.language : undefined },
  });
  await db.contactIdentity.create({
    data: { tenantId: scope.tenantId, contactId: contact.id, channelId: scope.channelId, externalId, username },
  });
  return contact;
}

/** The chat's live conversation, or per the tenant's rule the resolved one reopened, or a new one. */
async function conversationFor(db: DbClient, scope: Scope, chat: InboundChat, contactId: string) {
  const where = { channelId: scope.channelId, externalChatId: chat.id, externalThreadId: chat.threadId ?? null };
  const live = await db.conversation.findFirst({ where: { ...where, status: { not: "resolved" } }, orderBy: { createdAt: "desc" } });
  if (live) return { conversation: live, created: false };
  const resolved = await db.conversation.findFirst({ where: { ...where, status: "resolved" }, orderBy: { updatedAt: "desc" } });
  if (resolved && (await afterResolvedRule(db, scope.tenantId)) === "reopen") {
    const reopened = await db.conversation.update({ where: { id: resolved.id }, data: { status: "open", resolvedAt: null, snoozedUntil: null } });
    await recordEvent(db, {
      tenantId: scope.tenantId,
      type: "conversation.status_changed",
      conversationId: reopened.id,
      payload: { conversationId: reopened.id, status: "open", previousStatus: "resolved", reason: "customer wrote" },
    });
    return { conversation: reopened, created: false };
  }
  const conversation = await db.conversation.create({
    data: { tenantId: scope.tenantId, ...where, contactId, status: "open" },
  });
  return { conversation, created: true };
}

async function takeMessage(
  db: DbClient,
  scope: Scope,
  update: Extract<NormalizedUpdate, { kind: "message" }>,
): Promise<IngestResult> {
  const contact = await contactFor(db, scope, update.chat, update.sender);
  const { conversation, created } = await conversationFor(db, scope, update.chat, contact.id);

  const existing = await db.message.findUnique({
    where: { conversationId_direction_externalId: { conversationId: conversation.id, direction: "inbound", externalId: update.externalId } },
  });
  if (existing) return "duplicate";

  // An album arrives as one update per item; they become one message.
  if (update.content.mediaGroupId) {
    const album = await db.message.findFirst({
      where: { conversationId: conversation.id, direction: "inbound", content: { path: ["mediaGroupId"], equals: update.content.mediaGroupId } },
    });
    if (album) {
      const attachments = [...(album.attachments as Attachment[]), ...update.attachments];
      const merged = await db.message.update({
        where: { id: album.id },
        data: { attachments, text: album.text ?? update.text, content: { ...(album.content as MessageContent), externalIds: [...externalIdsOf(album), update.externalId] } },
      });
      await recordEvent(db, { tenantId: scope.tenantId, type: "message.updated", conversationId: conversation.id, payload: { message: merged } });
      return "ok";
    }
  }

  const replyTo = update.replyToExternalId
    ? await db.message.findFirst({ where: { conversationId: conversation.id, externalId: update.replyToExternalId }, select: { id: true } })
    : null;
  const message = await db.message.create({
    data: {
      tenantId: scope.tenantId,
      conversationId: conversation.id,
      direction: "inbound",
      senderType: "contact",
      text: update.text,
      attachments: update.attachments,
      content: Object.keys(update.content).length ? { ...update.content } : undefined,
      deliveryStatus: "received",
      externalId: update.externalId,
      replyToId: replyTo?.id,
      createdAt: update.sentAt.getTime() > Date.now() ? new Date() : update.sentAt,
    },
  });
  const updatedConversation = await db.conversation.update({
    where: { id: conversation.id },
    data: { lastMessageAt: message.createdAt, lastMessagePreview: previewOf(update), unreadCount: { increment: 1 } },
    include: { contact: true },
  });
  if (created) {
    await recordEvent(db, { tenantId: scope.tenantId, type: "conversation.created", conversationId: conversation.id, payload: { conversation: updatedConversation } });
  }
  await recordEvent(db, {
    tenantId: scope.tenantId,
    type: "message.created",
    conversationId: conversation.id,
    payload: { message, conversation: { id: conversation.id, lastMessageAt: updatedConversation.lastMessageAt, lastMessagePreview: updatedConversation.lastMessagePreview, unreadCount: updatedConversation.unreadCount } },
  });
  return "ok";
}

function externalIdsOf(message: { externalId: string | null; content: unknown }): string[] {
  const known = (message.content as { externalIds?: string[] } | null)?.externalIds;
  return known ?? (message.externalId ? [message.externalId] : []);
}

async function takeEdit(db: DbClient, scope: Scope, update: Extract<NormalizedUpdate, { kind: "edit" }>): Promise<IngestResult> {
  const message = await db.message.findFirst({
    where: {
      direction: "inbound",
      conversation: { channelId: scope.channelId, externalChatId: update.chat.id },
      OR: [{ externalId: update.externalId }, { content: { path: ["externalIds"], array_contains: [update.externalId] } }],
    },
    orderBy: { createdAt: "desc" },
  });
  // Telegram also reports edits of fields we do not show; only a changed text is an edit here.
  if (!message || message.text === update.text) return "ignored";
  const history = [...(message.editHistory as { text: string | null; editedAt: string }[]), { text: message.text, editedAt: (message.editedAt ?? message.createdAt).toISOString() }];
  const edited = await db.message.update({ where: { id: message.id }, data: { text: update.text, editHistory: history, editedAt: update.editedAt } });
  await recordEvent(db, { tenantId: scope.tenantId, type: "message.updated", conversationId: message.conversationId, payload: { message: edited } });
  return "ok";
}

async function takeBlock(db: DbClient, scope: Scope, sender: Sender, blocked: boolean): Promise<IngestResult> {
  const identity = await db.contactIdentity.findUnique({ where: { channelId_externalId: { channelId: scope.channelId, externalId: sender.id } } });
  if (!identity) return "ignored";
  const contact = await db.contact.update({ where: { id: identity.contactId }, data: { blockedAt: blocked ? new Date() : null } });
  await recordEvent(db, { tenantId: scope.tenantId, type: "contact.updated", payload: { contact: { id: contact.id, blockedAt: contact.blockedAt } } });
  return "ok";
}

/** A group became a supergroup: its conversations and identity follow the new chat id. */
async function takeMigration(db: DbClient, scope: Scope, chat: InboundChat, toChatId: string): Promise<IngestResult> {
  await db.conversation.updateMany({ where: { channelId: scope.channelId, externalChatId: chat.id }, data: { externalChatId: toChatId } });
  await db.contactIdentity.updateMany({ where: { channelId: scope.channelId, externalId: `chat:${chat.id}` }, data: { externalId: `chat:${toChatId}` } });
  return "ok";
}
