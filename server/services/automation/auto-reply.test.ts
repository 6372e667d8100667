import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Settings } from "@/lib/settings/schema";
import { createLogger } from "@/server/logger";
import type { TestDatabase } from "@/server/test/database";
import type { TenantFixture } from "@/server/test/fixtures";
import { startPipeline, type Pipeline } from "@/server/test/pipeline";
import { callerFor } from "@/server/test/trpc";
import { runAutoReply } from "./auto-reply";
import { AUTO_REPLY_TASK, forgetAutomationSettings } from "./auto-reply-trigger";

/**
 * Auto-replies end to end: a customer writes through the Telegram emulator, the
 * webhook stores the message and enqueues the job, the worker decides, stores
 * the bot's reply and delivers it back to the emulator.
 */

let pipeline: Pipeline;
let database: TestDatabase;
let t: TenantFixture;
let telegram: Pipeline["telegram"];
let token: string;
let channelId: string;
const log = createLogger("test", "silent");

const days = (intervals: { from: string; to: string }[]) => ({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals, sat: intervals, sun: intervals });
const alwaysClosed: Settings["businessHours"] = { enabled: true, days: days([]) };
const hoursOff: Settings["businessHours"] = { enabled: false, days: days([{ from: "09:00", to: "18:00" }]) };
const both: Settings["autoReplies"] = { greeting: { enabled: true, templateKey: "welcome" }, away: { enabled: true, templateKey: "away" }, periodHours: 24 };

beforeAll(async () => {
  pipeline = await startPipeline({ slug: "autoreply", botId: 700011, realtime: false, concurrency: 4 });
  ({ database, t, telegram, token, channelId } = pipeline);
  const template = (key: string, kind: "auto_reply" | "canned", variants: Record<string, string>) =>
    database.db.template.create({
      data: { tenantId: t.tenant.id, key, kind, variants: { create: Object.entries(variants).map(([locale, body]) => ({ tenantId: t.tenant.id, locale, body })) } },
    });
  await template("welcome", "auto_reply", { en: "Hello {firstName}, thanks for writing!", ru: "Здравствуйте, {firstName}! Спасибо, что написали.", de: "Hallo {firstName}!" });
  await template("away", "canned", { en: "We're away, {name}; back at nine. (@{username})" });
  await template("empty", "auto_reply", {});
});
afterAll(() => pipeline.stop());

function admin() {
  return callerFor(database, t.as("admin"), { tenantSlug: "autoreply" });
}

async function configure(changes: { autoReplies: Settings["autoReplies"]; businessHours: Settings["businessHours"]; defaultLocale?: string | null }) {
  await admin().settings.update({ changes });
  forgetAutomationSettings(); // intake would otherwise see the change within seconds, not at once
}

/** No auto-reply or delivery job left to run: whatever the customer's messages set off has happened. */
async function settled(timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await database.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier IN (${AUTO_REPLY_TASK}, 'channel.deliver') AND attempts < max_attempts`;
    if (row!.n === 0) return;
    if (Date.now() > deadline) throw new Error("jobs still waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function customerWrites(chatId: number, text: string, from: { first_name: string; last_name?: string; username?: string; language_code?: string }) {
  telegram.emulator.customerMessage(token, { chat: { id: chatId, type: "private", first_name: from.first_name }, from: { id: chatId, is_bot: false, ...from }, content: { text } });
  await telegram.drained(token);
  await settled();
  return database.db.conversation.findFirstOrThrow({ where: { channelId, externalChatId: String(chatId) }, orderBy: { createdAt: "desc" } });
}

const sentTo = (chatId: number) => telegram.emulator.sent(token, chatId).map((message) => message.text);

const autoRepliesIn = (conversationId: string) =>
  database.db.message.findMany({ where: { conversationId, direction: "outbound", content: { path: ["autoReply"], not: "null" } }, orderBy: { createdAt: "asc" } });

/** Moves a conversation's history back in time, as if it had been written that long ago. */
async function ageConversation(conversationId: string, hours: number) {
  await database.db.$executeRaw`UPDATE "Message" SET "createdAt" = "createdAt" - make_interval(hours => ${hours}) WHERE "conversationId" = ${conversationId}::uuid`;
  await database.db.$executeRaw`
    UPDATE "Conversation" SET "lastMessageAt" = "lastMessageAt" - make_interval(hours => ${hours}), "awayHandledAt" = "awayHandledAt" - make_interval(hours => ${hours})
    WHERE id = ${conversationId}::uuid`;
}

describe("auto-replies", () => {
  it("outside business hours, sends the away reply (not the greeting) once, delivered to Telegram, and not again within the period", async () => {
    await configure({ autoReplies: both, businessHours: alwaysClosed });
    const bob = { first_name: "Bob", last_name: "Stone", username: "bobstone", language_code: "en" };
    const conversation = await customerWrites(7001, "hello?", bob);
    expect(sentTo(7001)).toEqual(["We're away, Bob Stone; back at nine. (@bobstone)"]);
    const [reply] = await autoRepliesIn(conversation.id);
    expect(reply).toMatchObject({ direction: "outbound", senderType: "bot", senderUserId: null, isPrivate: false, deliveryStatus: "sent", content: { autoReply: "away" } });
    expect(reply!.externalId).toBe(String(telegram.emulator.sent(token, 7001)[0]!.message_id));
    const after = await database.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(after).toMatchObject({ lastMessagePreview: "We're away, Bob Stone; back at nine. (@bobstone)", lastMessageAt: reply!.createdAt, awayHandledAt: reply!.createdAt });
    const created = await database.db.event.findMany({ where: { conversationId: conversation.id, type: "message.created" } });
    expect(created.some((event) => (event.payload as { message: { id: string } }).message.id === reply!.id)).toBe(true);

    await customerWrites(7001, "anyone there?", bob);
    await customerWrites(7001, "hello??", bob);
    expect(sentTo(7001)).toHaveLength(1);
    expect(await autoRepliesIn(conversation.id)).toHaveLength(1);
  });

  it("sends the away reply again once the period has passed", async () => {
    await configure({ autoReplies: both, businessHours: alwaysClosed });
    const dan = { first_name: "Dan", username: "dan", language_code: "en" };
    const conversation = await customerWrites(7002, "hi", dan);
    expect(sentTo(7002)).toHaveLength(1);
    await ageConversation(conversation.id, 23);
    await customerWrites(7002, "still closed?", dan);
    expect(sentTo(7002)).toHaveLength(1); // 23 hours: still within the 24-hour period
    await ageConversation(conversation.id, 2);
    await customerWrites(7002, "hello again", dan);
    expect(sentTo(7002)).toEqual(["We're away, Dan; back at nine. (@dan)", "We're away, Dan; back at nine. (@dan)"]);
  });

  it("greets the first message of a new conversation in the contact's language, once, and again when they return after the period", async () => {
    await configure({ autoReplies: both, businessHours: hoursOff });
    const ivan = { first_name: "Иван", last_name: "Петров", language_code: "ru" };
    const conversation = await customerWrites(7003, "здравствуйте", ivan);
    expect(sentTo(7003)).toEqual(["Здравствуйте, Иван! Спасибо, что написали."]);
    expect((await autoRepliesIn(conversation.id))[0]).toMatchObject({ content: { autoReply: "greeting" }, deliveryStatus: "sent" });
    await customerWrites(7003, "есть вопрос", ivan);
    expect(sentTo(7003)).toHaveLength(1);

    await ageConversation(conversation.id, 25);
    await customerWrites(7003, "это снова я", ivan);
    expect(sentTo(7003)).toHaveLength(2);
  });

  it("does not greet outside business hours when the away reply is off: the greeting is for when the team is there", async () => {
    await configure({ autoReplies: { ...both, away: { ...both.away, enabled: false } }, businessHours: alwaysClosed });
    const conversation = await customerWrites(7011, "hello at night", { first_name: "Nina" });
    expect(sentTo(7011)).toEqual([]);
    expect(await autoRepliesIn(conversation.id)).toEqual([]);
  });

  it("never shows the customer a placeholder: a variable the contact has no value for is left out", async () => {
    await configure({ autoReplies: both, businessHours: alwaysClosed });
    await customerWrites(7012, "anyone?", { first_name: "Olga", last_name: "Noname" });
    expect(sentTo(7012)).toEqual(["We're away, Olga Noname; back at nine. (@)"]);
  });

  it("does not greet a customer answering an agent's reply, however long ago they wrote themselves", async () => {
    await configure({ autoReplies: both, businessHours: hoursOff });
    const kim = { first_name: "Kim", language_code: "en" };
    const conversation = await customerWrites(7008, "is my order late?", kim);
    await ageConversation(conversation.id, 30);
    await admin().messages.send({ conversationId: conversation.id, text: "Sorry for the wait: it ships today." });
    await settled();
    await customerWrites(7008, "thanks!", kim);
    expect(sentTo(7008)).toEqual(["Hello Kim, thanks for writing!", "Sorry for the wait: it ships today."]);
  });

  it("falls back to the workspace's default language when the contact's has no variant", async () => {
    await configure({ autoReplies: both, businessHours: hoursOff, defaultLocale: "de" });
    try {
      await customerWrites(7004, "bonjour", { first_name: "Chloé", language_code: "fr" });
      expect(sentTo(7004)).toEqual(["Hallo Chloé!"]);
    } finally {
      await admin().settings.update({ changes: { defaultLocale: null } });
    }
  });

  it("sends nothing when auto-replies are off", async () => {
    await configure({ autoReplies: { ...both, greeting: { ...both.greeting, enabled: false }, away: { ...both.away, enabled: false } }, businessHours: alwaysClosed });
    const conversation = await customerWrites(7005, "hello", { first_name: "Eve" });
    expect(sentTo(7005)).toEqual([]);
    expect(await database.db.message.count({ where: { conversationId: conversation.id, direction: "outbound" } })).toBe(0);
  });

  it("sends nothing when the chosen template does not exist or has no variant", async () => {
    await configure({ autoReplies: { ...both, greeting: { enabled: true, templateKey: "no-such-template" } }, businessHours: hoursOff });
    const missing = await customerWrites(7006, "hello", { first_name: "Fay" });
    await configure({ autoReplies: { ...both, away: { enabled: true, templateKey: "empty" } }, businessHours: alwaysClosed });
    const empty = await customerWrites(7007, "hello", { first_name: "Gus" });
    expect([...sentTo(7006), ...sentTo(7007)]).toEqual([]);
    expect(await database.db.message.count({ where: { conversationId: { in: [missing.id, empty.id] }, direction: "outbound" } })).toBe(0);
    // Handled for the period all the same: intake does not queue a job at every further message.
    expect(empty.awayHandledAt).toBeInstanceOf(Date);
  });

  it("a job that runs an hour or more after the customer wrote (a worker that was down) sends nothing", async () => {
    await configure({ autoReplies: { ...both, greeting: { ...both.greeting, enabled: false }, away: { ...both.away, enabled: false } }, businessHours: hoursOff });
    const conversation = await customerWrites(7009, "hello", { first_name: "Hal", language_code: "en" });
    await configure({ autoReplies: both, businessHours: hoursOff });
    const wrote = (await database.db.message.findFirstOrThrow({ where: { conversationId: conversation.id, direction: "inbound" } })).createdAt;
    const job = { tenantId: t.tenant.id, conversationId: conversation.id };
    expect(await runAutoReply({ appDb: database.appDb, log, now: new Date(wrote.getTime() + 61 * 60_000) }, job)).toEqual({ sent: null, reason: "no recent message from the customer" });
    expect(await runAutoReply({ appDb: database.appDb, log, now: new Date(wrote.getTime() + 59 * 60_000) }, job)).toMatchObject({ sent: "greeting" });
    await settled();
    expect(sentTo(7009)).toEqual(["Hello Hal, thanks for writing!"]);
  });
});
