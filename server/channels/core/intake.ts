import { createHash, randomUUID } from "node:crypto";
import type pg from "pg";
import { contactUpdated, conversationCreated, messageCreated, messageUpdated, type EventPayloads } from "@/lib/events/payloads";
import type { Attachment, MessageContent } from "@/lib/messages/content";
import { eventRow, type EventType } from "@/server/services/events/record-event";
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
import { effectiveModeSql } from "@/server/services/assignment/effective-policy";
import type { InboundChat, InboundEvent, InboundIdentity, IngestResult } from "../contract";

type Scope = { tenantId: string; channelId: string };
type Row = Record<string, unknown>;
type MessageEvent = Extract<InboundEvent, { kind: "message" }>;

/**
 * Times go in as UTC text: node-postgres would send a Date in the machine's zone,
 * and a `timestamp` column drops the offset (Prisma reads these columns as UTC).
 */
const utc = (date: Date) => date.toISOString();
/** A time read back either parsed (node-postgres, UTC) or inside to_jsonb, where a timestamp is ISO text without a zone. */
const readTime = (value: unknown): Date | null => (value === null || value === undefined ? null : value instanceof Date ? value : new Date(`${String(value)}Z`));

const statementNames = new Map<string, string>();
/**
 * Runs a statement as a named prepared statement: PostgreSQL parses and plans it
 * once per connection instead of on every message, which is most of intake's
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
 * The key of a chat's intake lock: a transaction holding it (`withTenantSql(…, { locks: [chatLock(scope, chatId)] })`,
 * taken with BEGIN) is the only one taking in traffic of this chat until it ends. A channel whose chats can send
 * at once (a widget visitor's two tabs, or two quick sends) takes it; without it two first messages would race to
 * create the same contact and conversation. Telegram needs none: it delivers a chat's updates one at a time. Hex,
 * since a chat id may hold any character and the key is inlined.
 */
export function chatLock(scope: Scope, chatId: string): string {
  return createHash("sha256").update(`intake:${scope.channelId}:${chatId}`).digest("hex");
}

/**
 * Takes one inbound event of any channel into the inbox, idempotently, in the
 * caller's transaction (withTenantSql: the app role, bound to the channel's
 * tenant, so row-level security scopes every statement below). The same
 * `dedupeKey` twice, and a re-sent message (same chat and external id), change
 * nothing. A chat's events must come one at a time: the channel delivers them
 * so (Telegram), or holds its `chatLock` (the widget).
 *
 * Written in SQL rather than through Prisma: intake is the product's hot path,
 * and Prisma costs about a millisecond per statement where node-postgres costs
 * a tenth of that (see the README's Telegram section for the figures).
 */
export async function ingestInbound(db: pg.ClientBase, scope: Scope, event: InboundEvent): Promise<IngestResult> {
  // The hot path (a customer's message) records the key and looks up its contact and conversation in one statement.
  if (event.kind === "message") return (await ingestMessage(db, scope, event)).result;
  if (event.kind === "ignored" && event.dedupeKey === undefined) return "ignored";
  const inserted = await prepared(db, `INSERT INTO "ProcessedUpdate" ("channelId", key, "tenantId") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
    scope.channelId,
    event.dedupeKey,
    scope.tenantId,
  ]);
  if (inserted.rowCount === 0) return "duplicate";
  switch (event.kind) {
    case "edit":
      return takeEdit(db, scope, event);
    case "blocked":
      return takeBlock(db, scope, event.identityExternalId, event.blocked);
    case "read":
      return takeRead(db, scope, event.chat, event.at);
    case "chat_moved":
      return takeMove(db, scope, event);
    case "ignored":
      return "ignored";
  }
}

async function recordEvent<T extends EventType>(db: pg.ClientBase, scope: Scope, type: T, conversationId: string | null, payload: T extends keyof EventPayloads ? EventPayloads[T] : Row): Promise<void> {
  const row = eventRow({ tenantId: scope.tenantId, type, conversationId, payload });
  await prepared(db, `INSERT INTO "Event" ("tenantId", type, "conversationId", payload) VALUES ($1, $2, $3, $4)`, [row.tenantId, row.type, row.conversationId, row.payload]);
}

/**
 * The contact behind an identity: `known` is the one the lookup found (with its
 * identity's id and details), else a new contact and identity. Fields the
 * channel gives are kept current.
 */
async function contactFor(db: pg.ClientBase, scope: Scope, identity: InboundIdentity, known: Row | null): Promise<{ contact: Row; changed: boolean }> {
  const username = identity.username ?? null;
  const email = identity.email ?? null;
  if (known) {
    const { identityId, identityDetails, ...contact } = known;
    let current: Row = contact;
    let changed = false;
    if (contact.name !== identity.name || (username && contact.username !== username) || (email && contact.email !== email)) {
      const updated = await prepared(db, `UPDATE "Contact" SET name = $2, username = COALESCE($3, username), email = COALESCE($4, email), "updatedAt" = now() WHERE id = $1 RETURNING *`, [
        contact.id,
        identity.name,
        username,
        email,
      ]);
      current = updated.rows[0]!;
      changed = true;
    }
    if (identity.details && JSON.stringify(identity.details) !== JSON.stringify(identityDetails ?? null)) {
      await prepared(db, `UPDATE "ContactIdentity" SET details = $2 WHERE id = $1`, [identityId, JSON.stringify(identity.details)]);
    }
    return { contact: current, changed };
  }
  const contact = await prepared(db, `INSERT INTO "Contact" (id, "tenantId", name, username, email, locale, labels, "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, '{}', now()) RETURNING *`, [
    randomUUID(),
    scope.tenantId,
    identity.name,
    username,
    email,
    identity.locale ?? null,
  ]);
  await prepared(db, `INSERT INTO "ContactIdentity" (id, "tenantId", "contactId", "channelId", "externalId", username, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    randomUUID(),
    scope.tenantId,
    contact.rows[0]!.id,
    scope.channelId,
    identity.externalId,
    username,
    identity.details ? JSON.stringify(identity.details) : null,
  ]);
  return { contact: contact.rows[0]!, changed: false };
}

const contactLookup = `SELECT c.*, i.id AS "identityId", i.details AS "identityDetails" FROM "ContactIdentity" i JOIN "Contact" c ON c.id = i."contactId" WHERE i."channelId" = $1 AND i."externalId" = $2`;

/**
 * The contact of an identity without a message (a widget visitor leaving an
 * email before writing): found or made, its fields brought up to date.
 */
export async function identifyContact(db: pg.ClientBase, scope: Scope, identity: InboundIdentity): Promise<{ contactId: string }> {
  const { rows } = await prepared(db, contactLookup, [scope.channelId, identity.externalId]);
  const { contact, changed } = await contactFor(db, scope, identity, rows[0] ?? null);
  if (changed) await recordEvent(db, scope, "contact.updated", null, contactUpdated({ id: contact.id as string, name: contact.name, email: contact.email }));
  return { contactId: contact.id as string };
}

/** The chat's live conversation (`live`, from the lookup), or per the tenant's rule the resolved one reopened, or a new one. */
async function conversationFor(db: pg.ClientBase, scope: Scope, chat: InboundChat, contactId: string, live: Row | null): Promise<{ conversation: Row; created: boolean }> {
  if (live) return { conversation: live, created: false };
  const key = [scope.channelId, chat.id, chat.threadId ?? null];
  const sameChat = `"channelId" = $1 AND "externalChatId" = $2 AND "externalThreadId" IS NOT DISTINCT FROM $3`;
  const resolved = await prepared(db, `SELECT * FROM "Conversation" WHERE ${sameChat} AND status = 'resolved' ORDER BY "updatedAt" DESC LIMIT 1`, key);
  if (resolved.rows[0]) {
    const settings = await prepared(db, `SELECT values #>> '{conversationRules,afterResolved}' AS rule FROM "TenantSettings" WHERE "tenantId" = $1`, [scope.tenantId]);
    if (settings.rows[0]?.rule !== "new") {
      // Where a policy assigns, the reopened conversation waits for it (still with its assignee, who keeps it if online with room).
      const reopened = await prepared(db, `UPDATE "Conversation" c SET status = 'open', "resolvedAt" = NULL, "snoozedUntil" = NULL, "updatedAt" = now(),
        "queuedAt" = CASE WHEN ${effectiveModeSql("c")} <> 'off' THEN now() END, "queueWaiting" = false WHERE id = $1 RETURNING *`, [
        resolved.rows[0].id,
      ]);
      const conversation = reopened.rows[0]!;
      await recordEvent(db, scope, "conversation.status_changed", conversation.id as string, {
        conversationId: conversation.id as string,
        status: "open",
        previousStatus: "resolved",
        reason: "customer wrote",
      });
      return { conversation, created: false };
    }
  }
  const created = await prepared(db, 
    // Where the channel's policy assigns, a new conversation starts waiting for it (the assignment router takes it from there).
    `INSERT INTO "Conversation" (id, "tenantId", "channelId", "contactId", "externalChatId", "externalThreadId", status, labels, "updatedAt", "queuedAt")
     VALUES ($1, $2, $3, $4, $5, $6, 'open', '{}', now(),
       CASE WHEN EXISTS (SELECT 1 FROM "AssignmentPolicy" WHERE "channelId" = $3 AND mode <> 'off') THEN now() END) RETURNING *`,
    [randomUUID(), scope.tenantId, scope.channelId, contactId, chat.id, chat.threadId ?? null],
  );
  return { conversation: created.rows[0]!, created: true };
}

function externalIdsOf(message: Row): string[] {
  const known = (message.content as MessageContent | null)?.externalIds;
  return known ?? (message.externalId ? [message.externalId as string] : []);
}

/**
 * `ingestInbound` of a message, answering also the message as stored (the row,
 * as node-postgres reads it) when it was: a channel that shows the sender their
 * own message (the widget) needs no second read. A duplicate answers none.
 */
export async function ingestMessage(db: pg.ClientBase, scope: Scope, event: MessageEvent): Promise<{ result: IngestResult; message: Row | null }> {
  const stored = await takeMessage(db, scope, event);
  return typeof stored === "string" ? { result: stored, message: null } : { result: "ok", message: stored };
}

async function takeMessage(db: pg.ClientBase, scope: Scope, event: MessageEvent): Promise<Exclude<IngestResult, "ok"> | Row> {
  const first = await prepared<{ fresh: number; contact: Row | null; live: Row | null }>(db, 
    `WITH processed AS (
       INSERT INTO "ProcessedUpdate" ("channelId", key, "tenantId") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1
     ), contact AS (
       ${contactLookup.replace("$2", "$4")}
     ), live AS (
       -- Locked until this message is stored: a conversation being resolved meanwhile (by an agent or
       -- auto-resolve) is seen resolved once that commits, and the message takes the resolved path.
       SELECT * FROM "Conversation" WHERE "channelId" = $1 AND "externalChatId" = $5 AND "externalThreadId" IS NOT DISTINCT FROM $6
         AND status <> 'resolved' ORDER BY "createdAt" DESC LIMIT 1 FOR UPDATE
     )
     SELECT (SELECT count(*) FROM processed)::int AS fresh, (SELECT to_jsonb(contact) FROM contact) AS contact, (SELECT to_jsonb(live) FROM live) AS live`,
    [scope.channelId, event.dedupeKey, scope.tenantId, event.identity.externalId, event.chat.id, event.chat.threadId ?? null],
  );
  const { fresh, contact: knownContact, live } = first.rows[0]!;
  if (fresh === 0) return "duplicate";
  const { contact } = await contactFor(db, scope, event.identity, knownContact);
  const { conversation, created } = await conversationFor(db, scope, event.chat, contact.id as string, live);
  const conversationId = conversation.id as string;

  // Items that arrive apart but are one message (a Telegram album) become one message.
  if (event.content.mediaGroupId) {
    const { rows } = await prepared(db, `SELECT * FROM "Message" WHERE "conversationId" = $1 AND direction = 'inbound' AND content ->> 'mediaGroupId' = $2 LIMIT 1`, [
      conversationId,
      event.content.mediaGroupId,
    ]);
    const album = rows[0];
    if (album) {
      if (externalIdsOf(album).includes(event.externalId)) return "duplicate";
      const content: MessageContent = { ...(album.content as MessageContent), externalIds: [...externalIdsOf(album), event.externalId] };
      const merged = await prepared(db, `UPDATE "Message" SET attachments = $2, text = COALESCE(text, $3), content = $4, "updatedAt" = now() WHERE id = $1 RETURNING *`, [
        album.id,
        JSON.stringify([...(album.attachments as Attachment[]), ...event.attachments]),
        event.text,
        JSON.stringify(content),
      ]);
      await recordEvent(db, scope, "message.updated", conversationId, messageUpdated(merged.rows[0]!));
      return merged.rows[0]!;
    }
  }

  const replyTo = event.replyToExternalId
    ? (await prepared(db, `SELECT id FROM "Message" WHERE "conversationId" = $1 AND "externalId" = $2 LIMIT 1`, [conversationId, event.replyToExternalId])).rows[0]
    : undefined;
  // The business key (conversation, direction, the channel's message id) is unique: a re-sent message inserts
  // nothing, and then the conversation is not touched either.
  const inserted = await prepared(db, 
    `WITH message AS (
       INSERT INTO "Message" (id, "tenantId", "conversationId", direction, "senderType", text, attachments, content, "deliveryStatus", "externalId", "clientMessageId", "replyToId", "createdAt", "updatedAt")
       VALUES ($1, $2, $3, 'inbound', 'contact', $4, $5, $6, 'received', $7, $8, $9, $10, now())
       ON CONFLICT ("conversationId", direction, "externalId") DO NOTHING RETURNING *
     ), conversation AS (
       UPDATE "Conversation" c SET "lastMessageAt" = message."createdAt", "lastMessagePreview" = $11, "unreadCount" = c."unreadCount" + 1, "updatedAt" = now()
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
      event.text,
      JSON.stringify(event.attachments),
      Object.keys(event.content).length ? JSON.stringify(event.content) : null,
      event.externalId,
      event.clientMessageId ?? null,
      replyTo?.id ?? null,
      utc(event.sentAt.getTime() > Date.now() ? new Date() : event.sentAt),
      previewOf(event),
    ],
  );
  const row = inserted.rows[0] as Row | undefined;
  if (!row) return "duplicate";
  const { conversationLastMessageAt, conversationPreview, conversationUnreadCount, conversationStatus, ...message } = row;
  const summary = {
    id: conversationId,
    lastMessageAt: conversationLastMessageAt as Date,
    lastMessagePreview: conversationPreview as string | null,
    unreadCount: conversationUnreadCount as number,
  };
  if (created) {
    const contactSummary = { id: contact.id as string, name: contact.name as string, username: (contact.username as string | null) ?? null };
    await recordEvent(db, scope, "conversation.created", conversationId, conversationCreated({ ...conversation, ...summary, status: conversationStatus, id: conversationId }, contactSummary));
  }
  await recordEvent(db, scope, "message.created", conversationId, messageCreated(message, summary));
  if (event.followUp) {
    // Run by the worker after this commits (Telegram: the customer's button stops spinning).
    await prepared(db, `SELECT public.app_add_job($1, $2::json, NULL, NULL, $3, NULL)`, [
      event.followUp.task,
      JSON.stringify({ ...event.followUp.payload, tenantId: scope.tenantId, channelId: scope.channelId }),
      event.followUp.maxAttempts,
    ]);
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
  return message;
}

async function takeEdit(db: pg.ClientBase, scope: Scope, event: Extract<InboundEvent, { kind: "edit" }>): Promise<IngestResult> {
  const { rows } = await prepared(db, 
    `SELECT m.* FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
     WHERE c."channelId" = $1 AND c."externalChatId" = $2 AND m.direction = 'inbound'
       AND (m."externalId" = $3 OR m.content -> 'externalIds' ? $3)
     ORDER BY m."createdAt" DESC LIMIT 1`,
    [scope.channelId, event.chat.id, event.externalId],
  );
  const message = rows[0];
  // A channel may also report edits of fields we do not show; only a changed text is an edit here.
  if (!message || message.text === event.text) return "ignored";
  const history = [...(message.editHistory as unknown[]), { text: message.text, editedAt: ((message.editedAt ?? message.createdAt) as Date).toISOString() }];
  const edited = await prepared(db, `UPDATE "Message" SET text = $2, "editHistory" = $3, "editedAt" = $4, "updatedAt" = now() WHERE id = $1 RETURNING *`, [
    message.id,
    event.text,
    JSON.stringify(history),
    utc(event.editedAt),
  ]);
  await recordEvent(db, scope, "message.updated", message.conversationId as string, messageUpdated(edited.rows[0]!));
  return "ok";
}

async function takeBlock(db: pg.ClientBase, scope: Scope, identityExternalId: string, blocked: boolean): Promise<IngestResult> {
  const { rows } = await prepared<{ id: string; blockedAt: Date | null }>(db, 
    `UPDATE "Contact" SET "blockedAt" = $3, "updatedAt" = now()
     WHERE id = (SELECT "contactId" FROM "ContactIdentity" WHERE "channelId" = $1 AND "externalId" = $2) RETURNING id, "blockedAt"`,
    [scope.channelId, identityExternalId, blocked ? utc(new Date()) : null],
  );
  if (!rows[0]) return "ignored";
  await recordEvent(db, scope, "contact.updated", null, contactUpdated(rows[0]));
  return "ok";
}

/** The customer has read the team's messages: the chat's latest conversation remembers when, and the inbox hears of it. */
async function takeRead(db: pg.ClientBase, scope: Scope, chat: InboundChat, at: Date): Promise<IngestResult> {
  const { rows } = await prepared<{ id: string; contactReadAt: Date }>(db, 
    `UPDATE "Conversation" SET "contactReadAt" = $4 WHERE id = (
       SELECT id FROM "Conversation" WHERE "channelId" = $1 AND "externalChatId" = $2 AND "externalThreadId" IS NOT DISTINCT FROM $3 ORDER BY "createdAt" DESC LIMIT 1
     ) AND ("contactReadAt" IS NULL OR "contactReadAt" < $4) RETURNING id, "contactReadAt"`,
    [scope.channelId, chat.id, chat.threadId ?? null, utc(at)],
  );
  if (!rows[0]) return "ignored";
  await recordEvent(db, scope, "conversation.updated", rows[0].id, { conversation: { id: rows[0].id, contactReadAt: rows[0].contactReadAt } });
  return "ok";
}

/** The chat got a new id: its conversations and identity follow it. */
async function takeMove(db: pg.ClientBase, scope: Scope, event: Extract<InboundEvent, { kind: "chat_moved" }>): Promise<IngestResult> {
  await prepared(db, `UPDATE "Conversation" SET "externalChatId" = $3, "updatedAt" = now() WHERE "channelId" = $1 AND "externalChatId" = $2`, [scope.channelId, event.from.id, event.to]);
  await prepared(db, `UPDATE "ContactIdentity" SET "externalId" = $3 WHERE "channelId" = $1 AND "externalId" = $2`, [scope.channelId, event.identity.from, event.identity.to]);
  return "ok";
}
