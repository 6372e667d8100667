import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppPool, createSystemPool } from "@/server/db/app-pool";
import { createLogger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { freePort } from "@/server/test/free-port";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";
import { handleTelegramWebhook } from "./handle-webhook";

let database: TestDatabase;
let t: TenantFixture;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let token: string;
let channelId: string;

const alice = { id: 5001, is_bot: false as const, first_name: "Alice", last_name: "Liddell", username: "alice", language_code: "en" };
const aliceChat = { id: 5001, type: "private" as const, first_name: "Alice" };

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "inbound");
  telegram = await startTelegram(database);
  token = telegram.emulator.addBot("700001:" + "A".repeat(35), "inbound_bot").token;
  const channel = await callerFor(database, t.as("admin"), { tenantSlug: "inbound" }).channels.connectTelegram({ token, mode: "webhook" });
  channelId = channel.id;
});
afterAll(async () => {
  await telegram.stop();
  await database.drop();
});

async function messagesOfChat(chatId: number) {
  return database.db.message.findMany({
    where: { conversation: { channelId, externalChatId: String(chatId) } },
    orderBy: { createdAt: "asc" },
    include: { conversation: { include: { contact: true } } },
  });
}

describe("connecting a bot", () => {
  it("checks the token with getMe, stores it encrypted, and sets the webhook with a secret and the handled update types", async () => {
    const channel = await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId } });
    expect(await database.db.channel.findUniqueOrThrow({ where: { id: channelId } })).toMatchObject({ status: "active", type: "telegram" });
    expect(channel).toMatchObject({ mode: "webhook", botUsername: "inbound_bot", botId: 700001n });
    expect(channel.tokenCiphertext).not.toContain(token.split(":")[1]);
    const webhook = telegram.emulator.bot(token).webhook!;
    expect(webhook.url).toBe(`${telegram.publicUrl}/api/telegram/${channelId}/webhook`);
    expect(webhook.secret).toBe(channel.webhookSecret);
    expect(webhook.url).not.toContain(token);
    expect(webhook.allowedUpdates).toEqual(["message", "edited_message", "callback_query", "my_chat_member"]);
  });

  it("refuses a token Telegram does not know, and one that is not a token at all, with a message saying what to do", async () => {
    const admin = callerFor(database, t.as("admin"), { tenantSlug: "inbound" });
    await expect(admin.channels.connectTelegram({ token: "123456789:" + "B".repeat(35) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Telegram does not accept this token; check it with @BotFather (/token)",
    });
    await expect(admin.channels.connectTelegram({ token: "hello" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^this does not look like a bot token/) });
    await expect(admin.channels.connectTelegram({ token })).rejects.toMatchObject({ code: "CONFLICT", message: "@inbound_bot is already connected here" });
  });

  it("never returns the token, and lists the webhook's health from getWebhookInfo", async () => {
    const list = await callerFor(database, t.as("agent"), { tenantSlug: "inbound" }).channels.list();
    expect(JSON.stringify(list)).not.toContain(token);
    const channel = list.find((c) => c.id === channelId)!;
    expect(channel.details).toMatchObject({ kind: "telegram", webhook: { pendingUpdates: 0, lastError: null, lastErrorAt: null } });
    const audit = await database.db.auditLog.findFirst({ where: { tenantId: t.tenant.id, action: "channel.connected" } });
    expect(audit?.metadata).toMatchObject({ bot: "inbound_bot", mode: "webhook" });
  });
});

describe("inbound updates", () => {
  it("a customer's first message creates the contact, the conversation, the message and their events", async () => {
    telegram.emulator.customerMessage(token, { chat: aliceChat, from: alice, content: { text: "Hello, my order is late" } });
    await telegram.drained(token);
    const [message] = await messagesOfChat(5001);
    expect(message).toMatchObject({ direction: "inbound", senderType: "contact", text: "Hello, my order is late", deliveryStatus: "received", externalId: "1" });
    expect(message!.conversation).toMatchObject({ status: "open", unreadCount: 1, lastMessagePreview: "Hello, my order is late" });
    expect(message!.conversation.contact).toMatchObject({ name: "Alice Liddell", username: "alice", locale: "en" });
    const events = await database.db.event.findMany({ where: { conversationId: message!.conversationId }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["conversation.created", "message.created"]);
  });

  it("the same update delivered three times is stored once", async () => {
    const update = telegram.emulator.customerMessage(token, { chat: aliceChat, from: alice, content: { text: "once" } });
    telegram.emulator.pushUpdate(token, { message: update.message as Record<string, unknown> }, update.update_id);
    telegram.emulator.pushUpdate(token, { message: update.message as Record<string, unknown> }, update.update_id);
    await telegram.drained(token);
    expect((await messagesOfChat(5001)).filter((m) => m.text === "once")).toHaveLength(1);
  });

  it("a re-sent message or callback with a new update_id is stored once (business keys)", async () => {
    const update = telegram.emulator.customerMessage(token, { chat: aliceChat, from: alice, content: { text: "resent" } });
    telegram.emulator.pushUpdate(token, { message: update.message as Record<string, unknown> });
    const press = { chat: aliceChat, from: alice, messageId: 1, data: "rate:5", callbackId: "cb-42" };
    telegram.emulator.customerPressesButton(token, press);
    telegram.emulator.customerPressesButton(token, press);
    await telegram.drained(token);
    const messages = await messagesOfChat(5001);
    expect(messages.filter((m) => m.text === "resent")).toHaveLength(1);
    const callbacks = messages.filter((m) => m.externalId === "callback:cb-42");
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.content).toMatchObject({ callback: { data: "rate:5", messageId: 1 } });
  });

  it("stores every kind of content with its file ids, the largest photo, and the caption as text", async () => {
    const photo = [
      { file_id: "small", file_unique_id: "s", width: 90, height: 90, file_size: 1000 },
      { file_id: "large", file_unique_id: "l", width: 1280, height: 1280, file_size: 90000 },
    ];
    const bob = { ...alice, id: 5002, first_name: "Bob", username: "bob" };
    const chat = { id: 5002, type: "private" as const, first_name: "Bob" };
    const contents = [
      { photo, caption: "the parcel" },
      { document: { file_id: "doc", file_unique_id: "d", file_name: "invoice.pdf", mime_type: "application/pdf", file_size: 2048 } },
      { video: { file_id: "vid", file_unique_id: "v", width: 640, height: 480, duration: 12 } },
      { voice: { file_id: "voice", file_unique_id: "vo", duration: 3, mime_type: "audio/ogg" } },
      { audio: { file_id: "song", file_unique_id: "so", duration: 200, title: "Song" } },
      { sticker: { file_id: "stick", file_unique_id: "st", emoji: "👍", width: 512, height: 512, is_animated: false, is_video: false, type: "regular" } },
      { location: { latitude: 52.52, longitude: 13.405 } },
      { contact: { phone_number: "+4930123", first_name: "Carol" } },
    ];
    for (const content of contents) telegram.emulator.customerMessage(token, { chat, from: bob, content });
    await telegram.drained(token);
    const messages = await messagesOfChat(5002);
    expect(messages).toHaveLength(8);
    expect(messages[0]).toMatchObject({ text: "the parcel", attachments: [{ kind: "photo", fileId: "large", width: 1280 }] });
    expect(messages[1]!.attachments).toEqual([{ kind: "document", fileId: "doc", fileName: "invoice.pdf", mimeType: "application/pdf", size: 2048 }]);
    expect(messages.slice(2, 6).map((m) => (m.attachments as { kind: string; fileId: string }[])[0])).toEqual([
      expect.objectContaining({ kind: "video", fileId: "vid", duration: 12 }),
      expect.objectContaining({ kind: "voice", fileId: "voice" }),
      expect.objectContaining({ kind: "audio", fileId: "song", fileName: "Song" }),
      expect.objectContaining({ kind: "sticker", fileId: "stick", emoji: "👍" }),
    ]);
    expect(messages[6]!.content).toEqual({ location: { latitude: 52.52, longitude: 13.405 } });
    expect(messages[7]!.content).toMatchObject({ contact: { phone: "+4930123", firstName: "Carol" } });
    expect(messages[7]!.conversation.lastMessagePreview).toBe("👤 Contact");
  });

  it("an edit keeps the new text with the old one in the history; an edit that changes nothing shown is ignored", async () => {
    const chat = { id: 5003, type: "private" as const, first_name: "Cy" };
    const cy = { ...alice, id: 5003, first_name: "Cy" };
    const sent = telegram.emulator.customerMessage(token, { chat, from: cy, content: { text: "helo" } });
    const messageId = (sent.message as { message_id: number }).message_id;
    telegram.emulator.customerEdit(token, { chat, from: cy, messageId, content: { text: "hello" } });
    telegram.emulator.customerEdit(token, { chat, from: cy, messageId, content: { text: "hello" } });
    await telegram.drained(token);
    const [message] = await messagesOfChat(5003);
    expect(message!.text).toBe("hello");
    expect(message!.editedAt).toBeInstanceOf(Date);
    expect(message!.editHistory).toEqual([{ text: "helo", editedAt: expect.any(String) }]);
  });

  it("an album becomes one message with all its items and the caption", async () => {
    const chat = { id: 5004, type: "private" as const, first_name: "Di" };
    const di = { ...alice, id: 5004, first_name: "Di" };
    for (const [index, caption] of [["1", "three shots"], ["2", undefined], ["3", undefined]] as const) {
      telegram.emulator.customerMessage(token, {
        chat,
        from: di,
        mediaGroupId: "album-1",
        content: { photo: [{ file_id: `p${index}`, file_unique_id: `p${index}`, width: 800, height: 600 }], ...(caption ? { caption } : {}) },
      });
    }
    await telegram.drained(token);
    const messages = await messagesOfChat(5004);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toBe("three shots");
    expect((messages[0]!.attachments as { fileId: string }[]).map((a) => a.fileId)).toEqual(["p1", "p2", "p3"]);
  });

  it("a customer blocking and unblocking the bot is recorded on the contact", async () => {
    telegram.emulator.customerBlocks(token, alice, true);
    await telegram.drained(token);
    const contact = (await messagesOfChat(5001))[0]!.conversation.contact;
    expect((await database.db.contact.findUniqueOrThrow({ where: { id: contact.id } })).blockedAt).toBeInstanceOf(Date);
    telegram.emulator.customerBlocks(token, alice, false);
    await telegram.drained(token);
    expect((await database.db.contact.findUniqueOrThrow({ where: { id: contact.id } })).blockedAt).toBeNull();
  });

  it("group chats and forum topics are conversations of their own, with the writer on each message", async () => {
    const group = { id: -100777, type: "supergroup" as const, title: "Wholesale buyers", is_forum: true };
    telegram.emulator.customerMessage(token, { chat: group, from: alice, threadId: 11, content: { text: "in topic 11" } });
    telegram.emulator.customerMessage(token, { chat: group, from: { ...alice, id: 5009, first_name: "Eve" }, threadId: 12, content: { text: "in topic 12" } });
    telegram.emulator.customerMessage(token, { chat: group, from: alice, threadId: 11, content: { text: "again 11" } });
    await telegram.drained(token);
    const messages = await messagesOfChat(-100777);
    const byThread: Record<string, typeof messages> = {};
    for (const m of messages) (byThread[m.conversation.externalThreadId ?? "none"] ??= []).push(m);
    expect(Object.keys(byThread).sort()).toEqual(["11", "12"]);
    expect(byThread["11"]!.map((m) => m.text)).toEqual(["in topic 11", "again 11"]);
    expect(byThread["11"]![0]!.conversation.contact.name).toBe("Wholesale buyers");
    expect(byThread["12"]![0]!.content).toMatchObject({ from: { id: 5009, name: "Eve Liddell" } });
  });

  it("a message to a resolved conversation reopens it by default, or starts a new one when the tenant says so", async () => {
    const chat = { id: 5005, type: "private" as const, first_name: "Fay" };
    const fay = { ...alice, id: 5005, first_name: "Fay" };
    telegram.emulator.customerMessage(token, { chat, from: fay, content: { text: "first" } });
    await telegram.drained(token);
    const first = (await messagesOfChat(5005))[0]!.conversationId;
    await database.db.conversation.update({ where: { id: first }, data: { status: "resolved", resolvedAt: new Date() } });
    telegram.emulator.customerMessage(token, { chat, from: fay, content: { text: "again" } });
    await telegram.drained(token);
    expect(await database.db.conversation.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ status: "open", resolvedAt: null });

    await database.db.conversation.update({ where: { id: first }, data: { status: "resolved" } });
    await database.db.tenantSettings.update({ where: { tenantId: t.tenant.id }, data: { values: { conversationRules: { afterResolved: "new" } } } });
    telegram.emulator.customerMessage(token, { chat, from: fay, content: { text: "new thread please" } });
    await telegram.drained(token);
    const conversations = await database.db.conversation.findMany({ where: { channelId, externalChatId: "5005" }, orderBy: { createdAt: "asc" } });
    expect(conversations.map((c) => c.status)).toEqual(["resolved", "open"]);
    await database.db.tenantSettings.update({ where: { tenantId: t.tenant.id }, data: { values: {} } });
  });

  it("a message arriving while its conversation is being resolved waits, then reopens it instead of landing in it unseen", async () => {
    const chat = { id: 5015, type: "private" as const, first_name: "Gus" };
    const gus = { ...alice, id: 5015, first_name: "Gus" };
    telegram.emulator.customerMessage(token, { chat, from: gus, content: { text: "hello" } });
    await telegram.drained(token);
    const conversationId = (await messagesOfChat(5015))[0]!.conversationId;
    // Someone (auto-resolve, an agent) holds the conversation and resolves it; the customer writes meanwhile.
    const resolver = await database.systemPool.connect();
    try {
      await resolver.query("BEGIN");
      await resolver.query(`SELECT id FROM "Conversation" WHERE id = $1 FOR UPDATE`, [conversationId]);
      await resolver.query(`UPDATE "Conversation" SET status = 'resolved', "resolvedAt" = now() WHERE id = $1`, [conversationId]);
      telegram.emulator.customerMessage(token, { chat, from: gus, content: { text: "are you there?" } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await resolver.query("COMMIT");
    } finally {
      resolver.release();
    }
    await telegram.drained(token);
    expect(await database.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ status: "open", resolvedAt: null });
    expect((await messagesOfChat(5015)).map((message) => message.text)).toEqual(["hello", "are you there?"]);
  });
});

describe("times", () => {
  it("are stored in UTC whatever the machine's time zone, as the rest of the product reads them", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Tokyo";
    try {
      const sentAt = new Date("2026-01-02T03:04:05.000Z");
      telegram.emulator.pushUpdate(token, {
        message: { message_id: 77, date: sentAt.getTime() / 1000, chat: { id: 5200, type: "private", first_name: "Tz" }, from: { id: 5200, is_bot: false, first_name: "Tz" }, text: "what time is it" },
      });
      await telegram.drained(token);
      const [message] = await messagesOfChat(5200);
      expect(message!.createdAt.toISOString()).toBe(sentAt.toISOString());
      const event = await database.db.event.findFirstOrThrow({ where: { conversationId: message!.conversationId, type: "message.created" } });
      expect((event.payload as { message: { createdAt: string } }).message.createdAt).toBe(sentAt.toISOString());
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe("the webhook endpoint", () => {
  const log = createLogger("test", "silent");
  const post = (secret: string | null, body: string, deps = { pool: database.appPool, systemPool: database.systemPool, log }, id = channelId) =>
    handleTelegramWebhook(
      new Request(`http://localhost/api/telegram/${id}/webhook`, { method: "POST", headers: secret ? { "x-telegram-bot-api-secret-token": secret } : {}, body }),
      id,
      deps,
    );
  const secret = async () => (await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId } })).webhookSecret;
  const update = (id: number) => JSON.stringify({ update_id: id, message: { message_id: 900 + id, date: 1, chat: { id: 5100, type: "private" }, from: { id: 5100, is_bot: false, first_name: "Gus" }, text: "hi" } });

  it("answers 401 and stores nothing without the right secret", async () => {
    for (const wrong of [null, "wrong", (await secret()).slice(0, -1)]) {
      expect((await post(wrong, update(1))).status).toBe(401);
    }
    expect(await database.db.processedUpdate.count({ where: { channelId, key: "1" } })).toBe(0);
    expect(await database.db.message.count({ where: { conversation: { externalChatId: "5100" } } })).toBe(0);
  });

  it("takes a new secret at once after the channel's secret changed (a reconnect), and refuses the old one within seconds", async () => {
    const old = await secret();
    expect((await post(old, update(40))).status).toBe(200); // the channel is now remembered with the old secret
    await database.db.telegramChannel.update({ where: { channelId }, data: { webhookSecret: "rotated-secret" } });
    expect((await post("rotated-secret", update(41))).status).toBe(200);
    expect((await post(old, update(42))).status).toBe(401); // reading it again replaced what was remembered
    await database.db.telegramChannel.update({ where: { channelId }, data: { webhookSecret: old } });
  });

  it("answers 404 for an unknown channel", async () => {
    expect((await post("x", update(2), undefined, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await post("x", update(2), undefined, "not-a-uuid")).status).toBe(404);
  });

  it("takes an authenticated body it cannot parse off Telegram's queue with 200, counts it, and quarantines it", async () => {
    const before = (await metrics().registry.getSingleMetricAsString("telegram_webhook_updates_total")).match(/result="parse_error"} (\d+)/)?.[1] ?? "0";
    for (const body of ["{not json", JSON.stringify({ hello: "world" }), JSON.stringify({ update_id: "x" })]) {
      expect((await post(await secret(), body)).status).toBe(200);
    }
    const after = (await metrics().registry.getSingleMetricAsString("telegram_webhook_updates_total")).match(/result="parse_error"} (\d+)/)?.[1];
    expect(Number(after) - Number(before)).toBe(3);
    const kept = await database.db.quarantinedUpdate.findMany({ where: { channelId, errorCode: { in: ["invalid_json", "not_an_update"] } }, orderBy: { createdAt: "asc" } });
    expect(kept.map((row) => Buffer.from(row.raw).toString("utf8"))).toEqual(["{not json", JSON.stringify({ hello: "world" }), JSON.stringify({ update_id: "x" })]);
    expect(kept.map((row) => row.errorCode)).toEqual(["invalid_json", "not_an_update", "not_an_update"]);
  });

  it("tolerates fields it does not know", async () => {
    const body = JSON.parse(update(3)) as { message: Record<string, unknown> } & Record<string, unknown>;
    body.brand_new_field = { anything: true };
    body.message.paid_star_count = 5;
    const response = await post(await secret(), JSON.stringify(body));
    expect(await response.json()).toEqual({ ok: true, result: "ok" });
  });

  it("answers 503 with Retry-After while the database is down, quarantining nothing, and the retry then succeeds", async () => {
    const quarantinedBefore = await database.db.quarantinedUpdate.count();
    const deadPort = await freePort();
    const down = { pool: createAppPool(`postgres://x:y@127.0.0.1:${deadPort}/x`), systemPool: database.systemPool, log };
    const response = await post(await secret(), update(4), down);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    const allDown = { ...down, systemPool: createSystemPool(`postgres://x:y@127.0.0.1:${deadPort}/x`) };
    expect((await post(await secret(), update(4), allDown)).status).toBe(503);
    await down.pool.end();
    await allDown.systemPool.end();
    expect(await database.db.quarantinedUpdate.count()).toBe(quarantinedBefore);
    expect((await post(await secret(), update(4))).status).toBe(200);
    expect(await database.db.message.count({ where: { conversation: { externalChatId: "5100" }, externalId: "904" } })).toBe(1);
  });

  it("Telegram's retries after a failure of the database deliver the update exactly once, and nothing is quarantined", async () => {
    const deliveriesBefore = telegram.emulator.deliveries.length;
    const quarantinedBefore = await database.db.quarantinedUpdate.count();
    // Make the database refuse updates for a moment, as one starting up does (57P03): the emulator's deliveries get 503 and are retried with backoff.
    await database.db.$executeRawUnsafe(`CREATE FUNCTION refuse_updates() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outage' USING ERRCODE = 'cannot_connect_now'; END $$`);
    await database.db.$executeRawUnsafe(`CREATE TRIGGER refuse_updates BEFORE INSERT ON "ProcessedUpdate" FOR EACH ROW EXECUTE FUNCTION refuse_updates()`);
    telegram.emulator.customerMessage(token, { chat: aliceChat, from: alice, content: { text: "after an outage" } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await database.db.$executeRawUnsafe(`DROP TRIGGER refuse_updates ON "ProcessedUpdate"`);
    await database.db.$executeRawUnsafe(`DROP FUNCTION refuse_updates()`);
    await telegram.drained(token);
    const attempts = telegram.emulator.deliveries.slice(deliveriesBefore);
    // The 503 carries Retry-After, which the emulator (as Telegram) waits out before trying again.
    expect(attempts.map((a) => a.status)).toEqual([503, 200]);
    expect((await messagesOfChat(5001)).filter((m) => m.text === "after an outage")).toHaveLength(1);
    expect(await database.db.quarantinedUpdate.count()).toBe(quarantinedBefore);
  });
});

describe("metrics", () => {
  it("GET /api/metrics exposes the webhook, outbound and queue series with values", async () => {
    process.env.DATABASE_URL = database.url;
    const { GET } = await import("@/app/api/metrics/route");
    const text = await (await GET(new Request("http://localhost/api/metrics"))).text();
    expect(text).toMatch(/telegram_webhook_updates_total\{result="ok"\} [1-9]/);
    expect(text).toMatch(/telegram_webhook_updates_total\{result="duplicate"\} [1-9]/);
    expect(text).toMatch(/telegram_webhook_updates_total\{result="unauthorized"\} [1-9]/);
    expect(text).toContain("channel_outbound_sends_total");
    expect(text).toMatch(/job_queue_ready_jobs \d+/);
    expect(text).toMatch(/job_queue_oldest_ready_seconds \d+/);
    // The bodies it could not parse (above) wait in quarantine.
    expect(text).toMatch(/telegram_quarantined_updates [3-9]/);
    expect(text).toContain("process_resident_memory_bytes");
  });
});

describe("disconnecting", () => {
  it("removes the webhook and stops intake, keeping the history", async () => {
    const before = await database.db.message.count({ where: { conversation: { channelId } } });
    await callerFor(database, t.as("admin"), { tenantSlug: "inbound" }).channels.disconnect({ id: channelId });
    expect(telegram.emulator.bot(token).webhook).toBeUndefined();
    expect(await database.db.channel.findUniqueOrThrow({ where: { id: channelId } })).toMatchObject({ status: "disconnected" });
    expect(await database.db.message.count({ where: { conversation: { channelId } } })).toBe(before);
    expect(await database.db.auditLog.count({ where: { tenantId: t.tenant.id, action: "channel.disconnected" } })).toBe(1);
  });
});
