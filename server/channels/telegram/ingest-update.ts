import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { EventType } from "@/server/services/events/record-event";
import { previewOf } from "@/server/services/messages/preview";
import {
  AUTO_REPLY_ATTEMPTS,
  AUTO_REPLY_TASK,
  automationSettingsSql,
  autoReplyJobKey,
  cachedAutomationSettings,
  mayNeedAutoReply,
  type AutoReplyJob,
} from "@/server/services/automation/auto-reply-trigger";
import { ANSWER_CALLBACK_ATTEMPTS, ANSWER_CALLBACK_TASK, type AnswerCallbackJob } from "./answer-callback";
import { normalizeUpdate, type Attachment, type InboundChat, type MessageContent, type NormalizedUpdate, type Sender, type TelegramUpdate } from "./normalize-update";

export type IngestResult = "ok" | "duplicate" | "ignored";

type Scope = { tenantId: string; channelId: string };

/**
 * Times go in as UTC text: node-postgres would send a Date in the machine's zone,
 * and a `timestamp` column drops the offset (Prisma reads these columns as UTC).
 */
const utc = (date: Date) => date.toISOString();
type Row = Record<string, unknown>;
/** A time read back either parsed (node-postgres, UTC) or inside to_jsonb, where a timestamp is ISO text without a zone. */
const readTime = (value: unknown): Date | null => (value === null || value === undefined ? null : value instanceof Date ? value : new Date(`${String(value)}Z`));

const statementNames = new Map<string, string>();
/**
 * Runs a statement as a named prepared statement: PostgreSQL parses and plans it
 * once per connection instead of on every update, which is most of intake's
 * database time.
 */
function prepared<R extends pg.QueryResultRow = Row>(db: pg.ClientBase, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
  let name = statementNames.get(text);
  if (!name) {
    name = `ingest_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return db.query<R>({ name, text, values });
}

/**
 * Takes one Telegram update into the inbox, idempotently, in the caller's
 * transaction (withTenantSql: the app role, bound to the channel's tenant, so
 * row-level security scopes every statement below). A retried update (same
 * update_id) and a re-sent one (same chat and message id, or callback id) change
 * nothing. Telegram sends a chat's updates one at a time, and one poller reads a
 * channel, so a chat's updates never race each other here.
 *
 * Written in SQL rather than through Prisma: intake is the product's hot path,
 * and Prisma costs about a millisecond per statement where node-postgres costs
 * a tenth of that (see the README's Telegram section for the figures).
 */
export async function ingestUpdate(db: pg.ClientBase, scope: Scope, update: TelegramUpdate): Promise<IngestResult> {
  const normalized = normalizeUpdate(update);
  // The hot path (a customer's message) records the update and looks up its contact and conversation in one statement.
  if (normalized.kind === "message") return takeMessage(db, scope, update.update_id, normalized);
  const inserted = await prepared(db, 
    `INSERT INTO "ProcessedUpdate" ("channelId", "updateId", "tenantId") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [scope.channelId, update.update_id, scope.tenantId],
  );
  if (inserted.rowCount === 0) return "duplicate";
  switch (normalized.kind) {
    case "edit":
      return takeEdit(db, scope, normalized);
    case "blocked":
    case "unblocked":
      return takeBlock(db, scope, normalized.sender, normalized.kind === "blocked");
    case "migrated":
      return takeMigration(db, scope, normalized.chat, normalized.toChatId);
    case "ignored":
      return "ignored";
  }
}

async function recordEvent(db: pg.ClientBase, scope: Scope, type: EventType, conversationId: string | null, payload: Row): Promise<void> {
  await prepared(db, `INSERT INTO "Event" ("tenantId", type, "conversationId", payload) VALUES ($1, $2, $3, $4)`, [
    scope.tenantId,
    type,
    conversationId,
    JSON.stringify(payload),
  ]);
}

/** A person in a private chat, or the group itself: whoever the conversation is with. */
const identityOf = (chat: InboundChat, sender: Sender) => (chat.type === "private" ? sender.id : `chat:${chat.id}`);

/** `known` is the contact the lookup found for this chat, if any. */
async function contactFor(db: pg.ClientBase, scope: Scope, chat: InboundChat, sender: Sender, known: Row | null): Promise<Row> {
  const isPrivate = chat.type === "private";
  const externalId = identityOf(chat, sender);
  const name = isPrivate ? sender.name : chat.title;
  const username = isPrivate ? (sender.username ?? null) : null;
  if (known) {
    if (known.name !== name || (username && known.username !== username)) {
      const updated = await prepared(db, `UPDATE "Contact" SET name = $2, username = COALESCE($3, username), "updatedAt" = now() WHERE id = $1 RETURNING *`, [known.id, name, username]);
      return updated.rows[0]!;
    }
    return known;
  }
  const contact = await prepared(db, 
    `INSERT INTO "Contact" (id, "tenantId", name, username, locale, labels, "updatedAt") VALUES ($1, $2, $3, $4, $5, '{}', now()) RETURNING *`,
    [randomUUID(), scope.tenantId, name, username, isPrivate ? (sender.language ?? null) : null],
  );
  await prepared(db, `INSERT INTO "ContactIdentity" (id, "tenantId", "contactId", "channelId", "externalId", username) VALUES ($1, $2, $3, $4, $5, $6)`, [
    randomUUID(),
    scope.tenantId,
    contact.rows[0]!.id,
    scope.channelId,
    externalId,
    username,
  ]);
  return contact.rows[0]!;
}

/** The chat's live conversation, or per the tenant's rule the resolved one reopened, or a new one. */
/** `live` is the chat's open conversation the lookup found, if any. */
async function conversationFor(db: pg.ClientBase, scope: Scope, chat: InboundChat, contactId: string, live: Row | null): Promise<{ conversation: Row; created: boolean }> {
  if (live) return { conversation: live, created: false };
  const key = [scope.channelId, chat.id, chat.threadId ?? null];
  const sameChat = `"channelId" = $1 AND "externalChatId" = $2 AND "externalThreadId" IS NOT DISTINCT FROM $3`;
  const resolved = await prepared(db, `SELECT * FROM "Conversation" WHERE ${sameChat} AND status = 'resolved' ORDER BY "updatedAt" DESC LIMIT 1`, key);
  if (resolved.rows[0]) {
    const settings = await prepared(db, `SELECT values #>> '{conversationRules,afterResolved}' AS rule FROM "TenantSettings" WHERE "tenantId" = $1`, [scope.tenantId]);
    if (settings.rows[0]?.rule !== "new") {
      const reopened = await prepared(db, 
        `UPDATE "Conversation" SET status = 'open', "resolvedAt" = NULL, "snoozedUntil" = NULL, "updatedAt" = now() WHERE id = $1 RETURNING *`,
        [resolved.rows[0].id],
      );
      const conversation = reopened.rows[0]!;
      await recordEvent(db, scope, "conversation.status_changed", conversation.id as string, {
        conversationId: conversation.id,
        status: "open",
        previousStatus: "resolved",
        reason: "customer wrote",
      });
      return { conversation, created: false };
    }
  }
  const created = await prepared(db, 
    `INSERT INTO "Conversation" (id, "tenantId", "channelId", "contactId", "externalChatId", "externalThreadId", status, labels, "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, 'open', '{}', now()) RETURNING *`,
    [randomUUID(), scope.tenantId, scope.channelId, contactId, chat.id, chat.threadId ?? null],
  );
  return { conversation: created.rows[0]!, created: true };
}

function externalIdsOf(message: Row): string[] {
  const known = (message.content as { externalIds?: string[] } | null)?.externalIds;
  return known ?? (message.externalId ? [message.externalId as string] : []);
}

async function takeMessage(db: pg.ClientBase, scope: Scope, updateId: number, update: Extract<NormalizedUpdate, { kind: "message" }>): Promise<IngestResult> {
  const first = await prepared<{ fresh: number; contact: Row | null; live: Row | null }>(db, 
    `WITH processed AS (
       INSERT INTO "ProcessedUpdate" ("channelId", "updateId", "tenantId") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1
     ), contact AS (
       SELECT c.* FROM "ContactIdentity" i JOIN "Contact" c ON c.id = i."contactId" WHERE i."channelId" = $1 AND i."externalId" = $4
     ), live AS (
       -- Locked until this message is stored: a conversation being resolved meanwhile (by an agent or
       -- auto-resolve) is seen resolved once that commits, and the message takes the resolved path.
       SELECT * FROM "Conversation" WHERE "channelId" = $1 AND "externalChatId" = $5 AND "externalThreadId" IS NOT DISTINCT FROM $6
         AND status <> 'resolved' ORDER BY "createdAt" DESC LIMIT 1 FOR UPDATE
     )
     SELECT (SELECT count(*) FROM processed)::int AS fresh, (SELECT to_jsonb(contact) FROM contact) AS contact, (SELECT to_jsonb(live) FROM live) AS live`,
    [scope.channelId, updateId, scope.tenantId, identityOf(update.chat, update.sender), update.chat.id, update.chat.threadId ?? null],
  );
  const { fresh, contact: knownContact, live } = first.rows[0]!;
  if (fresh === 0) return "duplicate";
  const contact = await contactFor(db, scope, update.chat, update.sender, knownContact);
  const { conversation, created } = await conversationFor(db, scope, update.chat, contact.id as string, live);
  const conversationId = conversation.id as string;

  // An album arrives as one update per item; they become one message.
  if (update.content.mediaGroupId) {
    const { rows } = await prepared(db, 
      `SELECT * FROM "Message" WHERE "conversationId" = $1 AND direction = 'inbound' AND content ->> 'mediaGroupId' = $2 LIMIT 1`,
      [conversationId, update.content.mediaGroupId],
    );
    const album = rows[0];
    if (album) {
      if (externalIdsOf(album).includes(update.externalId)) return "duplicate";
      const content = { ...(album.content as MessageContent), externalIds: [...externalIdsOf(album), update.externalId] };
      const merged = await prepared(db, 
        `UPDATE "Message" SET attachments = $2, text = COALESCE(text, $3), content = $4, "updatedAt" = now() WHERE id = $1 RETURNING *`,
        [album.id, JSON.stringify([...(album.attachments as Attachment[]), ...update.attachments]), update.text, JSON.stringify(content)],
      );
      await recordEvent(db, scope, "message.updated", conversationId, { message: merged.rows[0] });
      return "ok";
    }
  }

  const replyTo = update.replyToExternalId
    ? (await prepared(db, `SELECT id FROM "Message" WHERE "conversationId" = $1 AND "externalId" = $2 LIMIT 1`, [conversationId, update.replyToExternalId])).rows[0]
    : undefined;
  // The business key (conversation, direction, Telegram message id) is unique: a re-sent message inserts
  // nothing, and then the conversation is not touched either.
  const inserted = await prepared(db, 
    `WITH message AS (
       INSERT INTO "Message" (id, "tenantId", "conversationId", direction, "senderType", text, attachments, content, "deliveryStatus", "externalId", "replyToId", "createdAt", "updatedAt")
       VALUES ($1, $2, $3, 'inbound', 'contact', $4, $5, $6, 'received', $7, $8, $9, now())
       ON CONFLICT ("conversationId", direction, "externalId") DO NOTHING RETURNING *
     ), conversation AS (
       UPDATE "Conversation" c SET "lastMessageAt" = message."createdAt", "lastMessagePreview" = $10, "unreadCount" = c."unreadCount" + 1, "updatedAt" = now()
       FROM message WHERE c.id = $3
       RETURNING c.*
     )
     SELECT message.*, conversation."lastMessageAt" AS "conversationLastMessageAt", conversation."lastMessagePreview" AS "conversationPreview",
       conversation."unreadCount" AS "conversationUnreadCount", conversation.status AS "conversationStatus"
     FROM message, conversation`,
    [
      randomUUID(),
      scope.tenantId,
      conversationId,
      update.text,
      JSON.stringify(update.attachments),
      Object.keys(update.content).length ? JSON.stringify(update.content) : null,
      update.externalId,
      replyTo?.id ?? null,
      utc(update.sentAt.getTime() > Date.now() ? new Date() : update.sentAt),
      previewOf(update),
    ],
  );
  const row = inserted.rows[0] as Row | undefined;
  if (!row) return "duplicate";
  const { conversationLastMessageAt, conversationPreview, conversationUnreadCount, conversationStatus, ...message } = row;
  const summary = { id: conversationId, lastMessageAt: conversationLastMessageAt, lastMessagePreview: conversationPreview, unreadCount: conversationUnreadCount };
  if (created) {
    await recordEvent(db, scope, "conversation.created", conversationId, {
      conversation: { ...conversation, ...summary, status: conversationStatus, contact: { id: contact.id, name: contact.name, username: contact.username } },
    });
  }
  await recordEvent(db, scope, "message.created", conversationId, { message, conversation: summary });
  if (update.callbackQueryId) {
    // Answered by the worker after this commits: the customer's button stops spinning.
    const job: AnswerCallbackJob = { tenantId: scope.tenantId, channelId: scope.channelId, callbackQueryId: update.callbackQueryId };
    await prepared(db, `SELECT public.app_add_job($1, $2::json, NULL, NULL, $3, NULL)`, [ANSWER_CALLBACK_TASK, JSON.stringify(job), ANSWER_CALLBACK_ATTEMPTS]);
  }
  // The workspace's auto-reply settings come from a cache of a few seconds: no settings read per message.
  const automation = await cachedAutomationSettings(scope.tenantId, async () => {
    const { rows } = await prepared<{ automation: string | null }>(db, `SELECT ${automationSettingsSql} AS automation FROM "TenantSettings" WHERE "tenantId" = $1`, [scope.tenantId]);
    return rows[0]?.automation ?? null;
  });
  const before = { lastMessageAt: readTime(conversation.lastMessageAt), awayHandledAt: readTime(conversation.awayHandledAt) };
  if (mayNeedAutoReply(automation, { at: message.createdAt as Date }, before)) {
    // Committed with the message; the job decides whether a greeting or an away reply is due.
    const job: AutoReplyJob = { tenantId: scope.tenantId, conversationId };
    await prepared(db, `SELECT public.app_add_job($1, $2::json, NULL, NULL, $3, $4)`, [AUTO_REPLY_TASK, JSON.stringify(job), AUTO_REPLY_ATTEMPTS, autoReplyJobKey(conversationId)]);
  }
  return "ok";
}

async function takeEdit(db: pg.ClientBase, scope: Scope, update: Extract<NormalizedUpdate, { kind: "edit" }>): Promise<IngestResult> {
  const { rows } = await prepared(db, 
    `SELECT m.* FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
     WHERE c."channelId" = $1 AND c."externalChatId" = $2 AND m.direction = 'inbound'
       AND (m."externalId" = $3 OR m.content -> 'externalIds' ? $3)
     ORDER BY m."createdAt" DESC LIMIT 1`,
    [scope.channelId, update.chat.id, update.externalId],
  );
  const message = rows[0];
  // Telegram also reports edits of fields we do not show; only a changed text is an edit here.
  if (!message || message.text === update.text) return "ignored";
  const history = [...(message.editHistory as unknown[]), { text: message.text, editedAt: ((message.editedAt ?? message.createdAt) as Date).toISOString() }];
  const edited = await prepared(db, `UPDATE "Message" SET text = $2, "editHistory" = $3, "editedAt" = $4, "updatedAt" = now() WHERE id = $1 RETURNING *`, [
    message.id,
    update.text,
    JSON.stringify(history),
    utc(update.editedAt),
  ]);
  await recordEvent(db, scope, "message.updated", message.conversationId as string, { message: edited.rows[0] });
  return "ok";
}

async function takeBlock(db: pg.ClientBase, scope: Scope, sender: Sender, blocked: boolean): Promise<IngestResult> {
  const { rows } = await prepared(db, 
    `UPDATE "Contact" SET "blockedAt" = $3, "updatedAt" = now()
     WHERE id = (SELECT "contactId" FROM "ContactIdentity" WHERE "channelId" = $1 AND "externalId" = $2) RETURNING id, "blockedAt"`,
    [scope.channelId, sender.id, blocked ? utc(new Date()) : null],
  );
  if (!rows[0]) return "ignored";
  await recordEvent(db, scope, "contact.updated", null, { contact: rows[0] });
  return "ok";
}

/** A group became a supergroup: its conversations and identity follow the new chat id. */
async function takeMigration(db: pg.ClientBase, scope: Scope, chat: InboundChat, toChatId: string): Promise<IngestResult> {
  await prepared(db, `UPDATE "Conversation" SET "externalChatId" = $3, "updatedAt" = now() WHERE "channelId" = $1 AND "externalChatId" = $2`, [scope.channelId, chat.id, toChatId]);
  await prepared(db, `UPDATE "ContactIdentity" SET "externalId" = $3 WHERE "channelId" = $1 AND "externalId" = $2`, [scope.channelId, `chat:${chat.id}`, `chat:${toChatId}`]);
  return "ok";
}
