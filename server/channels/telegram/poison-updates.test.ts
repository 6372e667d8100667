import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppPool } from "@/server/db/app-pool";
import { createLogger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { freePort } from "@/server/test/free-port";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";
import { startPolling } from "./poller";

/**
 * No input stops a channel: whatever a customer (or something posing as
 * Telegram with the channel's secret) sends, the updates after it — in the same
 * chat and in others — arrive within seconds, in webhook mode and in polling
 * mode alike. What cannot be stored is quarantined, never dropped.
 */

let database: TestDatabase;
let t: TenantFixture;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let poller: ReturnType<typeof startPolling> | undefined;
const log = createLogger("test", "silent");
const bots: Record<"webhook" | "polling", { token: string; channelId: string }> = { webhook: { token: "", channelId: "" }, polling: { token: "", channelId: "" } };

const startPoller = (pool = database.appPool) =>
  startPolling({ databaseUrl: database.url, systemDb: database.db, pool, log, scanIntervalMs: 100, outageRetryMs: 200 });

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "poison");
  telegram = await startTelegram(database);
  const admin = callerFor(database, t.as("admin"), { tenantSlug: "poison" });
  for (const [mode, id] of [["webhook", 700101], ["polling", 700102]] as const) {
    const token = telegram.emulator.addBot(`${id}:${"Q".repeat(35)}`, `poison_${mode}_bot`).token;
    bots[mode] = { token, channelId: (await admin.channels.connectTelegram({ token, mode })).id };
  }
  poller = startPoller();
});
afterAll(async () => {
  await poller?.stop();
  await telegram.stop();
  await database.drop();
});

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const textsOf = async (channelId: string, chatId: number) =>
  (await database.db.message.findMany({ where: { conversation: { channelId, externalChatId: String(chatId) } }, orderBy: { createdAt: "asc" } })).map((m) => m.text);
const quarantineOf = (channelId: string) => database.db.quarantinedUpdate.findMany({ where: { channelId }, orderBy: { createdAt: "asc" } });
const counted = async (result: string) => Number((await metrics().registry.getSingleMetricAsString("telegram_webhook_updates_total")).match(new RegExp(`result="${result}"} (\\d+)`))?.[1] ?? 0);

/** A message update's JSON written by hand, in JSON.stringify's own format, so a field can hold what JSON.stringify cannot write. */
const messageJson = (updateId: number, messageId: number, chatId: number, fields: string) =>
  `{"update_id":${updateId},"message":{"message_id":${messageId},"date":${Math.floor(Date.now() / 1000)},"chat":{"id":${chatId},"type":"private","first_name":"Zoe"},${fields}}}`;
const deep = "[".repeat(500_000) + "]".repeat(500_000);

describe.each(["webhook", "polling"] as const)("in %s mode", (mode) => {
  it("NUL, unpaired surrogates, a megabyte text, deep nesting, unknown and made-up types: the next updates of the chat and of another chat land within seconds", async () => {
    const { token, channelId } = bots[mode];
    const base = mode === "webhook" ? 61_000 : 62_000;
    const chat = { id: base + 1, type: "private" as const, first_name: "Zoe" };
    const other = { id: base + 2, type: "private" as const, first_name: "Olaf" };
    // The sender's own name carries a NUL and an unpaired surrogate on every update of the chat.
    const zoe = { id: chat.id, is_bot: false as const, first_name: "Zo\u0000e", last_name: "Lone\uDC00" };
    const from = `"from":{"id":${chat.id},"is_bot":false,"first_name":"Zoe"}`;
    const nextId = () => telegram.emulator.bot(token).nextUpdateId++;
    const emulator = telegram.emulator;

    emulator.customerMessage(token, { chat, from: zoe, content: { text: "nul\u0000text" } });
    emulator.customerMessage(token, { chat, from: zoe, content: { text: "lone \uD83D surrogate" } });
    const megabyte = emulator.customerMessage(token, { chat, from: zoe, content: { text: "x".repeat(1_000_000) } });
    // Deep nesting in a field intake does not read, and in one it does.
    const nestedAsideId = nextId();
    emulator.pushRawUpdate(token, messageJson(nestedAsideId, 9001, chat.id, `${from},"text":"deep but fine","entities_v9":${deep}`), nestedAsideId, chat.id);
    const nestedInPlaceId = nextId();
    const nestedInPlace = messageJson(nestedInPlaceId, 9002, chat.id, `"from":${deep},"text":"deep where a sender should be"`);
    emulator.pushRawUpdate(token, nestedInPlace, nestedInPlaceId, chat.id);
    emulator.pushUpdate(token, { message_reaction: { chat, message_id: 1, user: zoe, date: 1, old_reaction: [], new_reaction: [{ type: "emoji", emoji: "👍" }] } });
    emulator.pushUpdate(token, { made_up_update: { chat, anything: [1, 2, 3] } });
    if (mode === "webhook") {
      const brokenId = nextId();
      emulator.pushRawUpdate(token, `{"update_id":${brokenId},"message":{"message_id":9003,"chat":{"id":${chat.id}`, brokenId, chat.id);
    }
    emulator.customerMessage(token, { chat, from: zoe, content: { text: "after the poison" } });
    emulator.customerMessage(token, { chat: other, from: { id: other.id, is_bot: false, first_name: "Olaf" }, content: { text: "another chat" } });

    await until(() => textsOf(channelId, other.id), (texts) => texts.includes("another chat"), "the other chat's message");
    await until(() => textsOf(channelId, chat.id), (texts) => texts.includes("after the poison"), "the poisoned chat's next message");

    // (Telegram's dates have whole seconds: compared without their order.)
    expect((await textsOf(channelId, chat.id)).sort()).toEqual(["after the poison", "deep but fine", "lone  surrogate", "nultext"]);
    const contact = await database.db.contact.findFirstOrThrow({ where: { identities: { some: { channelId, externalId: String(chat.id) } } } });
    expect(contact.name).toBe("Zoe Lone");
    const quarantined = await quarantineOf(channelId);
    expect(quarantined.map((row) => row.errorCode)).toEqual(["too_long", "not_an_update", ...(mode === "webhook" ? ["invalid_json"] : [])]);
    const [tooLong, notAnUpdate] = quarantined;
    expect(tooLong).toMatchObject({ updateId: BigInt(megabyte.update_id), status: "pending", attempts: 1, retriable: true, error: "message.text is 1,000,000 characters long, more than intake takes (16,384, far above Telegram's own limits)" });
    expect((JSON.parse(Buffer.from(tooLong!.raw).toString("utf8")) as { message: { text: string } }).message.text).toHaveLength(1_000_000);
    // Kept whole, byte for byte, though JSON.stringify could not have written it.
    expect(notAnUpdate).toMatchObject({ updateId: BigInt(nestedInPlaceId), errorCode: "not_an_update" });
    expect(Buffer.from(notAnUpdate!.raw).toString("utf8")).toBe(nestedInPlace);
    // Unknown types are ignored, not quarantined.
    expect(await database.db.processedUpdate.count({ where: { channelId } })).toBe(7);

    if (mode === "webhook") {
      await telegram.drained(token);
      const deliveries = emulator.deliveries.filter((delivery) => delivery.token === token);
      expect(deliveries.map((delivery) => delivery.status).every((status) => status === 200)).toBe(true);
      expect(deliveries).toHaveLength(new Set(deliveries.map((delivery) => delivery.updateId)).size);
    } else {
      const last = telegram.emulator.bot(token).nextUpdateId - 1;
      await until(async () => (await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId } })).pollingOffset, (offset) => offset === BigInt(last + 1), "the offset past every update");
    }
  });

  it("an update PostgreSQL refuses for good is tried 5 times in well under a second, quarantined, and the chat goes on", async () => {
    const { token, channelId } = bots[mode];
    const base = mode === "webhook" ? 63_000 : 64_000;
    const chat = { id: base + 1, type: "private" as const, first_name: "Rita" };
    const rita = { id: chat.id, is_bot: false as const, first_name: "Rita" };
    const refused = `refused by a check in ${mode} mode`;
    // A real constraint of the database, and a sequence (which no rollback undoes) counting the inserts that reach it.
    await database.db.$executeRawUnsafe(`CREATE SEQUENCE refused_attempts`);
    await database.db.$executeRawUnsafe(
      `CREATE FUNCTION count_refused() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.text = '${refused}' THEN PERFORM nextval('refused_attempts'); END IF; RETURN NEW; END $$`,
    );
    await database.db.$executeRawUnsafe(`CREATE TRIGGER count_refused BEFORE INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION count_refused()`);
    await database.db.$executeRawUnsafe(`ALTER TABLE "Message" ADD CONSTRAINT refuse_text CHECK (text IS DISTINCT FROM '${refused}')`);
    try {
      const quarantinedBefore = await counted("quarantined");
      const started = Date.now();
      const poison = telegram.emulator.customerMessage(token, { chat, from: rita, content: { text: refused } });
      telegram.emulator.customerMessage(token, { chat, from: rita, content: { text: "and then this" } });
      await until(() => textsOf(channelId, chat.id), (texts) => texts.includes("and then this"), "the next message of the chat");
      expect(Date.now() - started).toBeLessThan(3_000);

      const row = await database.db.quarantinedUpdate.findFirstOrThrow({ where: { channelId, updateId: poison.update_id } });
      expect(row).toMatchObject({ errorCode: "23514", attempts: 5, status: "pending", error: expect.stringContaining('violates check constraint "refuse_text"') });
      const [reached] = await database.db.$queryRawUnsafe<{ attempts: bigint }[]>(`SELECT last_value AS attempts FROM refused_attempts`);
      expect(Number(reached!.attempts)).toBe(5);
      expect(await counted("quarantined")).toBe(quarantinedBefore + 1);
      expect(await textsOf(channelId, chat.id)).toEqual(["and then this"]);
    } finally {
      await database.db.$executeRawUnsafe(`ALTER TABLE "Message" DROP CONSTRAINT IF EXISTS refuse_text`);
      await database.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS count_refused ON "Message"`);
      await database.db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS count_refused()`);
      await database.db.$executeRawUnsafe(`DROP SEQUENCE IF EXISTS refused_attempts`);
    }
  });
});

describe("a body larger than the webhook reads", () => {
  it("is answered 200 and quarantined with its first bytes as too large, not retriable; the chat goes on", async () => {
    const { token, channelId } = bots.webhook;
    const chat = { id: 65_001, type: "private" as const, first_name: "Hugo" };
    const id = telegram.emulator.bot(token).nextUpdateId++;
    const huge = messageJson(id, 9100, chat.id, `"from":{"id":${chat.id},"is_bot":false,"first_name":"Hugo"},"text":"${"y".repeat(5 * 1024 * 1024)}"`);
    telegram.emulator.pushRawUpdate(token, huge, id, chat.id);
    telegram.emulator.customerMessage(token, { chat, from: { id: chat.id, is_bot: false, first_name: "Hugo" }, content: { text: "small again" } });
    await until(() => textsOf(channelId, chat.id), (texts) => texts.includes("small again"), "the next message");
    const row = await database.db.quarantinedUpdate.findFirstOrThrow({ where: { channelId, errorCode: "too_large" } });
    expect(row).toMatchObject({ retriable: false, updateId: BigInt(id), error: expect.stringMatching(/^too large: the body is over 4,194,304 bytes/) });
    expect(Buffer.from(row.raw).toString("utf8")).toBe(huge.slice(0, 64 * 1024));
    expect(telegram.emulator.deliveries.filter((delivery) => delivery.updateId === id).map((delivery) => delivery.status)).toEqual([200]);
  });
});

describe("a database outage in polling mode", () => {
  it("keeps the offset and quarantines nothing until the database answers again; then the update lands", async () => {
    const { token, channelId } = bots.polling;
    await poller?.stop();
    const deadPool = createAppPool(`postgres://x:y@127.0.0.1:${await freePort()}/x`);
    const down = startPoller(deadPool);
    try {
      await until(async () => down.polling(), (ids) => ids.includes(channelId), "the poller with the dead pool to take the channel");
      const offset = (await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId } })).pollingOffset;
      const quarantined = await database.db.quarantinedUpdate.count({ where: { channelId } });
      const chat = { id: 66_001, type: "private" as const, first_name: "Otto" };
      telegram.emulator.customerMessage(token, { chat, from: { id: chat.id, is_bot: false, first_name: "Otto" }, content: { text: "during the outage" } });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId } })).pollingOffset).toBe(offset);
      expect(await database.db.quarantinedUpdate.count({ where: { channelId } })).toBe(quarantined);
      await down.stop();
      poller = startPoller();
      await until(() => textsOf(channelId, chat.id), (texts) => texts.includes("during the outage"), "the update after the outage");
      expect(await database.db.quarantinedUpdate.count({ where: { channelId } })).toBe(quarantined);
    } finally {
      await down.stop();
      await deadPool.end();
    }
  });

  it("a database refusing work as one shutting down (57P01) is waited out the same way, not mistaken for a poison", async () => {
    const { token, channelId } = bots.polling;
    const chat = { id: 66_002, type: "private" as const, first_name: "Ulla" };
    const before = { quarantined: await database.db.quarantinedUpdate.count({ where: { channelId } }), errors: await counted("error") };
    await database.db.$executeRawUnsafe(`CREATE FUNCTION shutting_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = 'admin_shutdown'; END $$`);
    await database.db.$executeRawUnsafe(`CREATE TRIGGER shutting_down BEFORE INSERT ON "ProcessedUpdate" FOR EACH ROW EXECUTE FUNCTION shutting_down()`);
    try {
      const offset = (await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId } })).pollingOffset;
      telegram.emulator.customerMessage(token, { chat, from: { id: chat.id, is_bot: false, first_name: "Ulla" }, content: { text: "while it shuts down" } });
      await until(() => counted("error"), (errors) => errors >= before.errors + 2, "the poller to have tried twice");
      expect((await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId } })).pollingOffset).toBe(offset);
      expect(await database.db.quarantinedUpdate.count({ where: { channelId } })).toBe(before.quarantined);
    } finally {
      await database.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS shutting_down ON "ProcessedUpdate"`);
      await database.db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS shutting_down()`);
    }
    await until(() => textsOf(channelId, chat.id), (texts) => texts.includes("while it shuts down"), "the update once the database is back");
    expect(await database.db.quarantinedUpdate.count({ where: { channelId } })).toBe(before.quarantined);
  });
});
