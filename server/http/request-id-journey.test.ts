import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenantSql } from "@/server/db/app-pool";
import { createLogger } from "@/server/logger";
import type { TestDatabase } from "@/server/test/database";
import type { TenantFixture } from "@/server/test/fixtures";
import { startPipeline, type Pipeline } from "@/server/test/pipeline";
import { callerFor } from "@/server/test/trpc";
import { until } from "@/server/test/wait";

/**
 * One id follows one customer message: the webhook's handling, the event it writes, the job it
 * causes and the realtime emit all log it; an agent's reply likewise from its API call to the
 * worker's delivery and the events that follow. Nothing hands the id on implicitly: the
 * transaction's app.request_id setting puts it in the event rows and job payloads, the worker's
 * per-job logger and the realtime node's emit line read it from there. Everything logs to one
 * captured stream, as one process's stdout would.
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
let pipeline: Pipeline;
let database: TestDatabase;
let t: TenantFixture;
let telegram: Pipeline["telegram"];
let token: string;
let channelId: string;

beforeAll(async () => {
  pipeline = await startPipeline({ slug: "journey", botId: 700201, log });
  ({ database, t, telegram, token, channelId } = pipeline);
});
afterAll(() => pipeline.stop());

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
    // Tracing is off in this file (no OTEL_EXPORTER_OTLP_ENDPOINT): no trace context is written anywhere.
    expect(events.every((event) => event.traceparent === null)).toBe(true);
    await until(() => withId(requestId).includes("button press answered") && withId(requestId).includes("realtime: event emitted"), "the job and the emit", 15_000);
    expect(withId(requestId)).toEqual(expect.arrayContaining(["webhook: update taken", "button press answered", "realtime: event emitted"]));
  });

  it("from an agent's reply: the API call's id reaches the delivery job's lines, the events and their emits", async () => {
    const conversation = await database.db.conversation.findFirstOrThrow({ where: { channelId } });
    const agent = callerFor(database, t.as("agent"), { tenantSlug: "journey", requestId: "reply-journey-1" });
    await agent.messages.send({ conversationId: conversation.id, text: "Hello Rita" });
    const mine = () => withId("reply-journey-1");
    await until(() => mine().includes("delivery job done") && mine().filter((m) => m === "realtime: event emitted").length >= 2, "delivery and its emits", 15_000);
    const events = await database.db.event.findMany({ where: { requestId: "reply-journey-1" }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.type)).toEqual(["message.created", "message.updated"]); // written by the API call, then by the worker
    const jobLine = lines.find((line) => line.requestId === "reply-journey-1" && line.msg === "delivery job done")!;
    expect(jobLine).toMatchObject({ task: "channel.deliver", result: "sent" });
    expect(jobLine.jobId).toBeDefined();
  });

  it("a transaction without a request leaves the id empty, and a malformed one is refused before it reaches SQL", async () => {
    const before = await database.db.event.count({ where: { tenantId: t.tenant.id, requestId: null } });
    await callerFor(database, t.as("agent"), { tenantSlug: "journey", requestId: "" }).conversations.update({
      id: (await database.db.conversation.findFirstOrThrow({ where: { channelId } })).id,
      status: "pending",
    });
    expect(await database.db.event.count({ where: { tenantId: t.tenant.id, requestId: null } })).toBe(before + 1);
    await expect(withTenantSql(database.appPool, t.tenant.id, async () => 1, { requestId: "x'; DROP TABLE \"Event\"; --" })).rejects.toThrow(/request id is malformed/);
  });

  it("and no captured line holds the bot token or a webhook secret", async () => {
    const channel = await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId } });
    const text = raw.join("\n");
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(token.split(":")[1]);
    expect(text).not.toContain(channel.webhookSecret);
  });
});
