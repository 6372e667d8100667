import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createSendLimits } from "@/server/channels/core/send-limits";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";
import { startDeliveryRunner } from "@/server/worker/delivery-runner";
import { startPolling } from "./poller";

let database: TestDatabase;
let t: TenantFixture;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let runner: Runner;
let limits: ReturnType<typeof createSendLimits>;
const log = createLogger("test", "silent");

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "polling");
  telegram = await startTelegram(database);
  limits = createSendLimits({ databaseUrl: database.url });
  runner = await startDeliveryRunner({ connectionString: database.url, appDb: database.appDb, limits, log });
});
afterAll(async () => {
  await runner.stop();
  await limits.close();
  await telegram.stop();
  await database.drop();
});

const admin = () => callerFor(database, t.as("admin"), { tenantSlug: "polling" });

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("polling mode", () => {
  it("round trip: the customer's message is fetched with getUpdates, and the reply reaches them", async () => {
    const token = telegram.emulator.addBot("700003:" + "D".repeat(35), "polled_bot").token;
    const { id: channelId } = await admin().channels.connectTelegram({ token, mode: "polling" });
    expect(telegram.emulator.bot(token).webhook).toBeUndefined();
    const poller = startPolling({ databaseUrl: database.url, systemDb: database.db, pool: database.appPool, log, scanIntervalMs: 200 });
    try {
      const customer = { id: 8001, is_bot: false as const, first_name: "Polly" };
      telegram.emulator.customerMessage(token, { chat: { id: 8001, type: "private", first_name: "Polly" }, from: customer, content: { text: "anyone there?" } });
      const message = await until(() => database.db.message.findFirst({ where: { conversation: { channelId }, text: "anyone there?" } }), Boolean);
      const sent = await admin().messages.send({ conversationId: message!.conversationId, text: "Yes, here!" });
      await until(() => database.db.message.findUniqueOrThrow({ where: { id: sent.id } }), (m) => m.deliveryStatus === "sent");
      expect(telegram.emulator.sent(token, 8001).map((m) => m.text)).toEqual(["Yes, here!"]);
      const channel = await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId } });
      expect(Number(channel.pollingOffset)).toBeGreaterThan(0);
    } finally {
      await poller.stop();
    }
  });

  it("with two workers, exactly one polls a channel; every update is stored once; the other takes over when it stops", async () => {
    const token = telegram.emulator.addBot("700004:" + "E".repeat(35), "shared_bot").token;
    const { id: channelId } = await admin().channels.connectTelegram({ token, mode: "polling" });
    const first = startPolling({ databaseUrl: database.url, systemDb: database.db, pool: database.appPool, log, scanIntervalMs: 100 });
    await until(async () => first.polling(), (ids) => ids.includes(channelId));
    const second = startPolling({ databaseUrl: database.url, systemDb: database.db, pool: database.appPool, log, scanIntervalMs: 100 });
    try {
      const chat = { id: 8002, type: "private" as const, first_name: "Sam" };
      const from = { id: 8002, is_bot: false as const, first_name: "Sam" };
      for (let i = 0; i < 10; i++) telegram.emulator.customerMessage(token, { chat, from, content: { text: `m${i}` } });
      await until(() => database.db.message.count({ where: { conversation: { channelId } } }), (n) => n === 10);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(second.polling()).not.toContain(channelId);

      await first.stop();
      for (let i = 10; i < 15; i++) telegram.emulator.customerMessage(token, { chat, from, content: { text: `m${i}` } });
      await until(() => database.db.message.count({ where: { conversation: { channelId } } }), (n) => n === 15);
      const texts = (await database.db.message.findMany({ where: { conversation: { channelId } }, orderBy: { createdAt: "asc" } })).map((m) => m.text);
      expect(new Set(texts).size).toBe(15);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it("getUpdates conflicts while a webhook is set (as on Telegram)", async () => {
    const token = telegram.emulator.addBot("700005:" + "F".repeat(35), "webhooked_bot").token;
    await admin().channels.connectTelegram({ token, mode: "webhook" });
    const response = await fetch(`${telegram.apiRoot}/bot${token}/getUpdates`);
    expect(response.status).toBe(409);
  });
});
