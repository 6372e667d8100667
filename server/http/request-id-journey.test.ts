import { Writable } from "node:stream";
import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createRateLimiters, createTelegramSendLimits } from "@/server/security/rate-limit";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { startRealtimeNode, type TestRealtimeNode } from "@/server/test/realtime";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";
import { until } from "@/server/test/wait";
import { startDeliveryRunner } from "@/server/worker/delivery-runner";
import { requestContext } from "./request-context";

/**
 * One id follows one customer message: the webhook's handling, the event it writes, the job it
 * causes and the realtime emit all log it; an agent's reply likewise from its API call to the
 * worker's delivery. Everything logs to one captured stream, as one process's stdout would.
 */

type Line = { msg: string; requestId?: string; [key: string]: unknown };
const lines: Line[] = [];
const raw: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString("utf8").split("\n").filter(Boolean)) {
      raw.push(text);
      lines.push(JSON.parse(text) as Line);
    }
    done();
  },
});
const log = createLogger("test", "debug", sink);
const secret = "journey-test-secret-".padEnd(40, "x");

let database: TestDatabase;
let t: TenantFixture;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let node: TestRealtimeNode;
let runner: Runner;
let limits: ReturnType<typeof createTelegramSendLimits>;
let limiters: ReturnType<typeof createRateLimiters>;
let token: string;
let channelId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "journey");
  process.env.APP_SECRET = secret;
  telegram = await startTelegram(database, {}, { log });
  limiters = createRateLimiters({ databaseUrl: database.url });
  node = await startRealtimeNode(database, { secret, limiters, log });
  limits = createTelegramSendLimits({ databaseUrl: database.url });
  runner = await startDeliveryRunner({ connectionString: database.url, appDb: database.appDb, limits, log });
  token = telegram.emulator.addBot("700201:" + "J".repeat(35), "journey_bot").token;
  channelId = (await callerFor(database, t.as("admin"), { tenantSlug: "journey" }).channels.connectTelegram({ token, mode: "webhook" })).id;
});
afterAll(async () => {
  await runner.stop();
  await node.close();
  await limits.close();
  await limiters.close();
  await telegram.stop();
  await database.drop();
});

const withId = (requestId: string) => lines.filter((line) => line.requestId === requestId).map((line) => line.msg);

describe("a request id follows the work", () => {
  it("from a customer's button press: the webhook, its event, the job it enqueued and the realtime emit", async () => {
    const chat = { id: 9101, type: "private" as const, first_name: "Rita" };
    const from = { id: 9101, is_bot: false as const, first_name: "Rita" };
    telegram.emulator.customerMessage(token, { chat, from, content: { text: "hi" } });
    await telegram.drained(token);
    telegram.emulator.customerPressesButton(token, { chat, from, messageId: 1, data: "yes" });
    await telegram.drained(token);

    const takenLines = () => lines.filter((line) => line.msg === "webhook: update taken");
    await until(() => takenLines().length === 2, "both updates taken");
    const taken = takenLines();
    const requestId = taken[1]!.requestId!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(taken[0]!.requestId).not.toBe(requestId);

    const events = await database.db.event.findMany({ where: { tenantId: t.tenant.id, requestId } });
    expect(events.length).toBeGreaterThan(0);
    await until(() => withId(requestId).includes("button press answered") && withId(requestId).includes("realtime: event emitted"), "the job and the emit", 15_000);
    expect(withId(requestId)).toEqual(expect.arrayContaining(["webhook: update taken", "button press answered", "realtime: event emitted"]));
  });

  it("from an agent's reply: the API call's id reaches the delivery job's lines and the emits", async () => {
    const conversation = await database.db.conversation.findFirstOrThrow({ where: { channelId } });
    const agent = callerFor(database, t.as("agent"), { tenantSlug: "journey" });
    await requestContext.run({ requestId: "reply-journey-1" }, () => agent.messages.send({ conversationId: conversation.id, text: "Hello Rita" }));
    const mine = () => withId("reply-journey-1");
    await until(() => mine().includes("delivery job done") && mine().filter((m) => m === "realtime: event emitted").length >= 2, "delivery and its emits", 15_000);
    expect(await database.db.event.count({ where: { requestId: "reply-journey-1" } })).toBeGreaterThanOrEqual(2); // created, then sent
  });

  it("and no captured line holds the bot token or a webhook secret", async () => {
    const channel = await database.db.channel.findUniqueOrThrow({ where: { id: channelId } });
    const text = raw.join("\n");
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(token.split(":")[1]);
    expect(text).not.toContain(channel.webhookSecret);
  });
});
