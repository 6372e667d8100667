import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import type { TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { hostileHtml } from "@/server/test/sample-files";
import { startPipeline, type Pipeline } from "@/server/test/pipeline";
import { callerFor } from "@/server/test/trpc";
import { deliverMessage, RetryLater } from "@/server/channels/core/deliver";
import { proxyAttachment } from "@/server/channels/core/file-proxy";

let pipeline: Pipeline;
let database: TestDatabase;
let t: TenantFixture;
let telegram: Pipeline["telegram"];
let limits: Pipeline["limits"];
let token: string;
let channelId: string;
const log = createLogger("test", "silent");
let nextChat = 6000;

beforeAll(async () => {
  pipeline = await startPipeline({ slug: "outbound", botId: 700002, realtime: false, concurrency: 4 });
  ({ database, t, telegram, limits, token, channelId } = pipeline);
});
afterAll(() => pipeline.stop());

function agent() {
  return callerFor(database, t.as("admin"), { tenantSlug: "outbound" });
}

/** A customer writes first, so there is a conversation to answer. */
async function conversationWithCustomer(options: { chat?: Record<string, unknown>; threadId?: number } = {}) {
  const id = nextChat++;
  const chat = { id, type: "private", first_name: `Customer ${id}`, ...options.chat };
  const customer = { id, is_bot: false as const, first_name: `Customer ${id}` };
  telegram.emulator.customerMessage(token, { chat: chat as never, from: customer, content: { text: "hello?" }, threadId: options.threadId });
  await telegram.drained(token);
  const conversation = await database.db.conversation.findFirstOrThrow({ where: { channelId, externalChatId: String(chat.id) }, orderBy: { createdAt: "desc" } });
  return { conversation, chatId: Number(chat.id), customer };
}

async function settled(messageId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const message = await database.db.message.findUniqueOrThrow({ where: { id: messageId } });
    if (message.deliveryStatus !== "pending") return message;
    if (Date.now() > deadline) throw new Error(`message ${messageId} still pending`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("replies to Telegram", () => {
  it("an agent's reply reaches the customer, escaped for Telegram's HTML, and records Telegram's message id", async () => {
    const { conversation, chatId } = await conversationWithCustomer();
    const sent = await agent().messages.send({ conversationId: conversation.id, text: "<b>Sorry</b> for the wait & thanks!" });
    expect(sent.deliveryStatus).toBe("pending");
    const delivered = await settled(sent.id);
    const received = telegram.emulator.sent(token, chatId);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ text: "&lt;b&gt;Sorry&lt;/b&gt; for the wait &amp; thanks!", parse_mode: "HTML" });
    expect(delivered).toMatchObject({ deliveryStatus: "sent", externalId: String(received[0]!.message_id) });
    const events = await database.db.event.findMany({ where: { conversationId: conversation.id, type: "message.updated" } });
    expect(events.some((e) => (e.payload as { message: { deliveryStatus: string } }).message.deliveryStatus === "sent")).toBe(true);
  });

  it("a private note is stored and never sent", async () => {
    const { conversation, chatId } = await conversationWithCustomer();
    const note = await agent().messages.send({ conversationId: conversation.id, text: "customer is a VIP", isPrivate: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(note).toMatchObject({ isPrivate: true, deliveryStatus: "sent" });
    expect(telegram.emulator.sent(token, chatId)).toEqual([]);
  });

  it("keeps replies in the order they were written, and splits a long one at 4096 characters", async () => {
    const { conversation, chatId } = await conversationWithCustomer();
    const long = `${"a".repeat(4000)}\n\n${"b".repeat(4000)}\n\n${"c".repeat(100)}`;
    const ids: string[] = [];
    for (const text of ["one", "two", long, "four", "five"]) ids.push((await agent().messages.send({ conversationId: conversation.id, text })).id);
    for (const id of ids) await settled(id);
    const texts = telegram.emulator.sent(token, chatId).map((m) => m.text!);
    expect(texts.map((text) => text.slice(0, 4))).toEqual(["one", "two", "aaaa", "bbbb", "cccc", "four", "five"]);
    expect(texts.every((text) => text.length <= 4096)).toBe(true);
    const split = await database.db.message.findUniqueOrThrow({ where: { id: ids[2]! } });
    expect((split.content as { externalIds: string[] }).externalIds).toHaveLength(3);
  });

  it("replies into the customer's forum topic and keeps the quoted message", async () => {
    const { conversation, chatId } = await conversationWithCustomer({ chat: { type: "supergroup", title: "Forum", is_forum: true }, threadId: 77 });
    const quoted = await database.db.message.findFirstOrThrow({ where: { conversationId: conversation.id } });
    const sent = await agent().messages.send({ conversationId: conversation.id, text: "in the topic", replyToId: quoted.id });
    await settled(sent.id);
    expect(telegram.emulator.sent(token, chatId)[0]).toMatchObject({ message_thread_id: 77, reply_to_message_id: Number(quoted.externalId) });
  });

  it("a retried send with the same client message id is stored and sent once", async () => {
    const { conversation, chatId } = await conversationWithCustomer();
    const first = await agent().messages.send({ conversationId: conversation.id, text: "only once", clientMessageId: "client-1" });
    const again = await agent().messages.send({ conversationId: conversation.id, text: "only once", clientMessageId: "client-1" });
    expect(again.id).toBe(first.id);
    await settled(first.id);
    expect(telegram.emulator.sent(token, chatId)).toHaveLength(1);
  });

  it("waits out a 429 for retry_after, then sends", async () => {
    const { conversation, chatId } = await conversationWithCustomer();
    telegram.emulator.fault(token, { method: "sendMessage", kind: "429", count: 1, retryAfter: 1 });
    const started = Date.now();
    const sent = await agent().messages.send({ conversationId: conversation.id, text: "after the limit" });
    expect((await settled(sent.id)).deliveryStatus).toBe("sent");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(telegram.emulator.sent(token, chatId)).toHaveLength(1);
  });

  it("retries a 5xx with backoff until it goes through", async () => {
    const { conversation, chatId } = await conversationWithCustomer();
    telegram.emulator.fault(token, { method: "sendMessage", kind: "500", count: 1 });
    const sent = await agent().messages.send({ conversationId: conversation.id, text: "eventually" });
    expect((await settled(sent.id, 30_000)).deliveryStatus).toBe("sent");
    expect(telegram.emulator.sent(token, chatId)).toHaveLength(1);
  });

  it("a blocked bot (403) fails at once with the reason, marks the contact, and is never retried", async () => {
    const { conversation, chatId } = await conversationWithCustomer();
    telegram.emulator.fault(token, { method: "sendMessage", kind: "403", count: 1 });
    const sent = await agent().messages.send({ conversationId: conversation.id, text: "are you there?" });
    expect(await settled(sent.id)).toMatchObject({ deliveryStatus: "failed", deliveryError: "Telegram refused: Forbidden: bot was blocked by the user" });
    expect((await database.db.contact.findUniqueOrThrow({ where: { id: conversation.contactId } })).blockedAt).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(telegram.emulator.sent(token, chatId)).toEqual([]);
    await expect(agent().messages.send({ conversationId: conversation.id, text: "again" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/^the customer has blocked the bot/),
    });
  });

  it("a group upgraded to a supergroup is followed to its new chat id and the reply resent there", async () => {
    const { conversation } = await conversationWithCustomer({ chat: { type: "group", title: "Old group" } });
    telegram.emulator.fault(token, { method: "sendMessage", kind: "migrate", count: 1, migrateTo: -1009999 });
    const sent = await agent().messages.send({ conversationId: conversation.id, text: "hello group" });
    expect((await settled(sent.id)).deliveryStatus).toBe("sent");
    expect(telegram.emulator.sent(token, -1009999).map((m) => m.text)).toEqual(["hello group"]);
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).externalChatId).toBe("-1009999");
  });

  it("a failed reply can be retried from the API", async () => {
    const { conversation, chatId } = await conversationWithCustomer();
    const message = await database.db.message.create({
      data: { tenantId: t.tenant.id, conversationId: conversation.id, direction: "outbound", senderType: "agent", text: "second chance", deliveryStatus: "failed", deliveryError: "Telegram could not be reached after 10 attempts" },
    });
    await agent().messages.retry({ messageId: message.id });
    expect(await settled(message.id)).toMatchObject({ deliveryStatus: "sent", deliveryError: null });
    expect(telegram.emulator.sent(token, chatId).map((m) => m.text)).toEqual(["second chance"]);
    await expect(agent().messages.retry({ messageId: message.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("stays under the per-bot limit with many chats at once: no 429 from Telegram", async () => {
    const conversations = [];
    for (let i = 0; i < 12; i++) conversations.push(await conversationWithCustomer());
    const before = telegram.emulator.sent(token).length;
    const limitedBefore = telegram.emulator.rateLimitedResponses;
    const ids = await Promise.all(conversations.flatMap(({ conversation }) => [1, 2, 3].map((n) => agent().messages.send({ conversationId: conversation.id, text: `burst ${n}` }).then((m) => m.id))));
    for (const id of ids) expect((await settled(id, 60_000)).deliveryStatus).toBe("sent");
    expect(telegram.emulator.sent(token).length - before).toBe(36);
    expect(telegram.emulator.rateLimitedResponses).toBe(limitedBefore);
  });
});

describe("files in replies", () => {
  const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

  async function upload(name: string, type: string, bytes: Buffer, headers: Record<string, string>, slug = "outbound") {
    process.env.DATABASE_URL = database.url;
    const { POST } = await import("@/app/api/t/[slug]/uploads/route");
    const form = new FormData();
    form.set("file", new File([new Uint8Array(bytes)], name, { type }));
    return POST(new Request(`http://localhost/api/t/${slug}/uploads`, { method: "POST", headers, body: form }), { params: Promise.resolve({ slug }) });
  }

  it("uploads photos and documents, sends them after the text, and serves them back to the inbox", async () => {
    const auth = { authorization: `Bearer ${t.keys.full.key}` };
    const photo = await upload("parcel.png", "image/png", png, auth);
    expect(photo.status).toBe(201);
    const photoId = ((await photo.json()) as { id: string }).id;
    const doc = (await (await upload("label.pdf", "application/pdf", Buffer.from("%PDF-1.4"), auth)).json()) as { id: string };
    const { conversation, chatId } = await conversationWithCustomer();
    const sent = await agent().messages.send({ conversationId: conversation.id, text: "Here is your label", attachments: [{ uploadId: photoId }, { uploadId: doc.id }] });
    const delivered = await settled(sent.id);
    expect(delivered.deliveryStatus).toBe("sent");
    const received = telegram.emulator.sent(token, chatId);
    expect(received.map((m) => [m.method, m.text ?? m.file?.name])).toEqual([
      ["sendMessage", "Here is your label"],
      ["sendPhoto", "parcel.png"],
      ["sendDocument", "label.pdf"],
    ]);
    const attachments = delivered.attachments as { kind: string; fileId?: string; externalId?: string }[];
    expect(attachments.map((a) => a.kind)).toEqual(["photo", "document"]);
    expect(attachments.every((a) => a.fileId && a.externalId)).toBe(true);
    expect(delivered.text).toBe("Here is your label");
    const served = await proxyAttachment(
      new Request(`http://localhost/api/t/outbound/files/${sent.id}/0`, { headers: auth }),
      { slug: "outbound", messageId: sent.id, index: "0" },
      { appDb: database.appDb, systemDb: database.db, log },
    );
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await served.arrayBuffer())).toEqual(png);
  });

  it("several photos go as one album and several documents as another, each file served back", async () => {
    const auth = { authorization: `Bearer ${t.keys.full.key}` };
    const id = async (name: string, type: string, bytes: Buffer) => ((await (await upload(name, type, bytes, auth)).json()) as { id: string }).id;
    const ids = [await id("front.png", "image/png", png), await id("a.pdf", "application/pdf", Buffer.from("%PDF-1.4 a")), await id("back.png", "image/png", png), await id("b.pdf", "application/pdf", Buffer.from("%PDF-1.4 b"))];
    const { conversation, chatId } = await conversationWithCustomer();
    const sent = await agent().messages.send({ conversationId: conversation.id, text: "Both sides and both forms", attachments: ids.map((uploadId) => ({ uploadId })) });
    const delivered = await settled(sent.id);
    expect(delivered.deliveryStatus).toBe("sent");
    const received = telegram.emulator.sent(token, chatId);
    expect(received.map((m) => [m.method, m.text ?? m.file?.name])).toEqual([
      ["sendMessage", "Both sides and both forms"],
      ["sendMediaGroup", "front.png"],
      ["sendMediaGroup", "back.png"],
      ["sendMediaGroup", "a.pdf"],
      ["sendMediaGroup", "b.pdf"],
    ]);
    const album = (name: string) => received.find((m) => m.file?.name === name)!.media_group_id;
    expect(album("front.png")).toBeDefined();
    expect(album("back.png")).toBe(album("front.png"));
    expect(album("b.pdf")).toBe(album("a.pdf"));
    expect(album("a.pdf")).not.toBe(album("front.png"));
    const attachments = delivered.attachments as { kind: string; fileName: string; fileId?: string; externalId?: string }[];
    expect(attachments.map((a) => a.fileName)).toEqual(["front.png", "a.pdf", "back.png", "b.pdf"]);
    expect(attachments.every((a) => a.fileId && a.externalId)).toBe(true);
    const served = await proxyAttachment(
      new Request(`http://localhost/api/t/outbound/files/${sent.id}/3`, { headers: auth }),
      { slug: "outbound", messageId: sent.id, index: "3" },
      { appDb: database.appDb, systemDb: database.db, log },
    );
    expect(Buffer.from(await served.arrayBuffer()).toString()).toBe("%PDF-1.4 b");
  });

  it("a file that only claims to be a photo goes as a document, and is served back as one", async () => {
    const auth = { authorization: `Bearer ${t.keys.full.key}` };
    const uploaded = await upload("photo.jpg", "image/jpeg", hostileHtml, auth);
    const stored = (await uploaded.json()) as { id: string; mimeType: string };
    expect(stored.mimeType).toBe("application/octet-stream");
    const { conversation, chatId } = await conversationWithCustomer();
    const sent = await agent().messages.send({ conversationId: conversation.id, attachments: [{ uploadId: stored.id }] });
    expect((sent.attachments as { kind: string }[])[0]!.kind).toBe("document");
    expect((await settled(sent.id)).deliveryStatus).toBe("sent");
    expect(telegram.emulator.sent(token, chatId).map((m) => [m.method, m.file?.name])).toEqual([["sendDocument", "photo.jpg"]]);
    const served = await proxyAttachment(
      new Request(`http://localhost/api/t/outbound/files/${sent.id}/0`, { headers: auth }),
      { slug: "outbound", messageId: sent.id, index: "0" },
      { appDb: database.appDb, systemDb: database.db, log },
    );
    expect(served.headers.get("content-type")).toBe("application/octet-stream");
    expect(served.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''photo.jpg");
  });

  it("a file alone is a reply too; a reply needs text or a file", async () => {
    const { conversation, chatId } = await conversationWithCustomer();
    const only = (await (await upload("only.png", "image/png", png, { authorization: `Bearer ${t.keys.full.key}` })).json()) as { id: string };
    const sent = await agent().messages.send({ conversationId: conversation.id, attachments: [{ uploadId: only.id }] });
    expect((await settled(sent.id)).deliveryStatus).toBe("sent");
    expect(telegram.emulator.sent(token, chatId).map((m) => m.method)).toEqual(["sendPhoto"]);
    await expect(agent().messages.send({ conversationId: conversation.id, text: "  " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses another workspace's upload, strangers, keys without messages:write, empty and oversized files", async () => {
    const other = await createTenantFixture(database.db, "other-uploads");
    const { conversation } = await conversationWithCustomer();
    await expect(agent().messages.send({ conversationId: conversation.id, text: "x", attachments: [{ uploadId: other.rows.upload.id }] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await upload("a.png", "image/png", png, {})).status).toBe(401);
    expect((await upload("a.png", "image/png", png, { authorization: `Bearer ${t.keys.read.key}` })).status).toBe(404);
    expect((await upload("a.png", "image/png", png, { authorization: `Bearer ${other.keys.full.key}` })).status).toBe(404);
    expect((await upload("empty.txt", "text/plain", Buffer.alloc(0), { authorization: `Bearer ${t.keys.full.key}` })).status).toBe(400);
    const big = await upload("big.bin", "application/octet-stream", Buffer.alloc(10 * 1024 * 1024 + 1), { authorization: `Bearer ${t.keys.full.key}` });
    expect(big.status).toBeGreaterThanOrEqual(400);
    expect(big.status).toBeLessThan(500);
  });
});

describe("button presses", () => {
  it("a press reaches the inbox once and is answered, so the customer's button stops spinning", async () => {
    const { conversation, chatId, customer } = await conversationWithCustomer();
    const chat = { id: chatId, type: "private" as const, first_name: customer.first_name };
    telegram.emulator.customerPressesButton(token, { chat, from: customer, messageId: 1, data: "plan:pro", callbackId: `press-${chatId}` });
    // The app re-sends the same press after a reconnect, with a new update_id.
    telegram.emulator.customerPressesButton(token, { chat, from: customer, messageId: 1, data: "plan:pro", callbackId: `press-${chatId}` });
    await telegram.drained(token);
    const presses = await database.db.message.findMany({ where: { conversationId: conversation.id, text: "plan:pro" } });
    expect(presses).toHaveLength(1);
    const deadline = Date.now() + 10_000;
    while (!telegram.emulator.bot(token).callbacks.get(`press-${chatId}`)?.answered && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(telegram.emulator.bot(token).callbacks.get(`press-${chatId}`)?.answered).toBeDefined();
    // Done, not waiting to be retried: the worker removes the job once the call it made has returned, a moment after
    // Telegram saw the answer.
    const waiting = async () =>
      (await database.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'telegram.answer_callback'`)[0]!.n;
    while ((await waiting()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await waiting()).toBe(0);
  });
});

describe("typing", () => {
  it("shows typing… in the customer's chat, at most once per 4 s per conversation", async () => {
    const { conversation, chatId } = await conversationWithCustomer();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await agent().messages.typing({ conversationId: conversation.id }));
    expect(results.map((r) => r.sent)).toEqual([true, false, false]);
    expect(telegram.emulator.bot(token).chatActions.filter((a) => a.chat_id === chatId)).toEqual([expect.objectContaining({ action: "typing" })]);
  });
});

describe("the delivery job, run directly", () => {
  const deps = () => ({ appDb: database.appDb, limits, log, timeoutSeconds: 1 });

  async function pendingReply(text: string) {
    const { conversation, chatId } = await conversationWithCustomer();
    const message = await database.db.message.create({
      data: { tenantId: t.tenant.id, conversationId: conversation.id, direction: "outbound", senderType: "agent", text, deliveryStatus: "pending" },
    });
    return { message, chatId };
  }

  it("run again after it succeeded, it sends nothing more", async () => {
    const { message, chatId } = await pendingReply("exactly once");
    expect(await deliverMessage(deps(), { tenantId: t.tenant.id, messageId: message.id }, { number: 1, max: 10 })).toBe("sent");
    expect(await deliverMessage(deps(), { tenantId: t.tenant.id, messageId: message.id }, { number: 2, max: 10 })).toBe("skipped");
    expect(telegram.emulator.sent(token, chatId)).toHaveLength(1);
  });

  it("after a crash between the parts of a long reply, sends only the parts not yet sent", async () => {
    const { message, chatId } = await pendingReply(`${"x".repeat(4000)} ${"y".repeat(100)}`);
    await database.db.message.update({ where: { id: message.id }, data: { content: { externalIds: ["41"] } } });
    await deliverMessage(deps(), { tenantId: t.tenant.id, messageId: message.id }, { number: 2, max: 10 });
    const received = telegram.emulator.sent(token, chatId);
    expect(received.map((m) => m.text![0])).toEqual(["y"]);
    expect(await database.db.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ deliveryStatus: "sent", externalId: "41" });
  });

  it("a timeout is retried later, and on the last attempt fails with the reason", async () => {
    const { message } = await pendingReply("slow");
    telegram.emulator.fault(token, { method: "sendMessage", kind: "slow", count: 2, delayMs: 2500 });
    await expect(deliverMessage(deps(), { tenantId: t.tenant.id, messageId: message.id }, { number: 1, max: 3 })).rejects.toBeInstanceOf(RetryLater);
    expect(await deliverMessage(deps(), { tenantId: t.tenant.id, messageId: message.id }, { number: 3, max: 3 })).toBe("failed");
    const failed = await database.db.message.findUniqueOrThrow({ where: { id: message.id } });
    expect(failed.deliveryError).toBe("Telegram could not be reached after 3 attempts");
  });

  it("a 5xx on the last attempt fails with Telegram's answer", async () => {
    const { message } = await pendingReply("unlucky");
    telegram.emulator.fault(token, { method: "sendMessage", kind: "500", count: 1 });
    expect(await deliverMessage(deps(), { tenantId: t.tenant.id, messageId: message.id }, { number: 10, max: 10 })).toBe("failed");
    expect((await database.db.message.findUniqueOrThrow({ where: { id: message.id } })).deliveryError).toBe("Telegram answered 500: Internal Server Error after 10 attempts");
  });

  it("never puts the bot token in an error it records", async () => {
    const failures = await database.db.message.findMany({ where: { deliveryError: { not: null } }, select: { deliveryError: true } });
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) expect(failure.deliveryError).not.toContain(token.split(":")[1]);
  });
});
