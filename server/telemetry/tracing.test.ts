import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import type { TestDatabase } from "@/server/test/database";
import type { TenantFixture } from "@/server/test/fixtures";
import { startPipeline, type Pipeline } from "@/server/test/pipeline";
import { callerFor } from "@/server/test/trpc";
import { until } from "@/server/test/wait";
import { startTracing, tracingEnabled } from "./tracing";

/**
 * With OTEL_EXPORTER_OTLP_ENDPOINT set, spans reach an OTLP/HTTP collector (a
 * small one here, reading the JSON the exporter sends), and one trace follows a
 * customer message: the webhook's request span, the job it enqueued and the
 * realtime emit of its event; an agent's reply from its tRPC call through the
 * delivery job, Prisma's queries, to the emit of the "sent" update.
 */

type Span = { traceId: string; spanId: string; parentSpanId?: string; name: string; service: string; status?: { code?: number; message?: string } };
const spans: Span[] = [];
const hex = (id: string | undefined) => (id && !/^[0-9a-f]*$/.test(id) ? Buffer.from(id, "base64").toString("hex") : id);

let collector: Server;
let stopTracing: () => Promise<void>;
let pipeline: Pipeline;
let database: TestDatabase;
let t: TenantFixture;
let telegram: Pipeline["telegram"];
let token: string;

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      type Export = {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: Span[] }[] }[];
      };
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Export;
      for (const resourceSpans of body.resourceSpans) {
        const service = resourceSpans.resource.attributes.find((attribute) => attribute.key === "service.name")?.value.stringValue ?? "";
        for (const scope of resourceSpans.scopeSpans) {
          for (const span of scope.spans) {
            spans.push({ name: span.name, service, traceId: hex(span.traceId)!, spanId: hex(span.spanId)!, parentSpanId: hex(span.parentSpanId) || undefined, status: span.status });
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  process.env.OTEL_BSP_SCHEDULE_DELAY = "50";
  stopTracing = await startTracing("web");
  pipeline = await startPipeline({ slug: "traced", botId: 700301, log: createLogger("test", "silent") });
  ({ database, t, telegram, token } = pipeline);
});
afterAll(async () => {
  await pipeline.stop();
  await stopTracing();
  collector.close();
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
});

const named = (name: string) => spans.filter((span) => span.name === name);
const childrenOf = (parent: Span) => spans.filter((span) => span.parentSpanId === parent.spanId);

describe("tracing over OTLP", () => {
  it("is on when the endpoint is set, and starting it again changes nothing", async () => {
    expect(tracingEnabled()).toBe(true);
    expect(await startTracing("web")).toBe(stopTracing);
  });

  it("follows a button press from the webhook's request span to the job it enqueued and the realtime emit of its event", async () => {
    const chat = { id: 9201, type: "private" as const, first_name: "Tom" };
    const from = { id: 9201, is_bot: false as const, first_name: "Tom" };
    telegram.emulator.customerMessage(token, { chat, from, content: { text: "hi" } });
    await telegram.drained(token);
    telegram.emulator.customerPressesButton(token, { chat, from, messageId: 1, data: "yes" });
    await telegram.drained(token);

    await until(() => named("job telegram.answer_callback").length === 1, "the job's span", 15_000);
    const job = named("job telegram.answer_callback")[0]!;
    const webhook = spans.find((span) => span.spanId === job.parentSpanId)!;
    expect(webhook).toMatchObject({ name: "POST telegram_webhook", traceId: job.traceId, service: "support-chat-web" });
    // The button press's event (message.created) was written in the webhook's transaction, so its emit joins that trace.
    await until(() => childrenOf(webhook).some((span) => span.name === "realtime emit message.created"), "the emit's span", 15_000);
    const events = await database.db.event.findMany({ where: { tenantId: t.tenant.id, type: "message.created" }, orderBy: { id: "asc" } });
    expect(events.at(-1)!.traceparent).toBe(`00-${webhook.traceId}-${webhook.spanId}-01`);
  });

  it("follows an agent's reply from its tRPC call through the delivery job, its queries, to the emit of the sent update", async () => {
    const conversation = await database.db.conversation.findFirstOrThrow({ where: { tenantId: t.tenant.id } });
    await callerFor(database, t.as("agent"), { tenantSlug: "traced" }).messages.send({ conversationId: conversation.id, text: "Hello Tom" });

    await until(() => named("trpc messages.send").length === 1 && named("job channel.deliver").length === 1, "the call's and the job's spans", 15_000);
    const call = named("trpc messages.send")[0]!;
    const delivery = named("job channel.deliver")[0]!;
    expect(delivery).toMatchObject({ traceId: call.traceId, parentSpanId: call.spanId });
    await until(
      () => childrenOf(call).some((span) => span.name === "realtime emit message.created") && childrenOf(delivery).some((span) => span.name === "realtime emit message.updated"),
      "both emits' spans",
      15_000,
    );
    // Prisma's instrumentation: the procedure's and the job's queries are spans of the same trace.
    const traceNames = spans.filter((span) => span.traceId === call.traceId).map((span) => span.name);
    expect(traceNames.filter((name) => name.startsWith("prisma:")).length).toBeGreaterThan(0);
    expect(call.status?.code ?? 0).not.toBe(2);
  });

  it("marks a procedure's span failed when the call answers with an error", async () => {
    const agent = callerFor(database, t.as("agent"), { tenantSlug: "traced" });
    await expect(agent.conversations.get({ id: "00000000-0000-4000-8000-000000000000" })).rejects.toThrow();
    await until(() => named("trpc conversations.get").length === 1, "the failed call's span", 15_000);
    expect(named("trpc conversations.get")[0]!.status).toMatchObject({ code: 2, message: "NOT_FOUND" }); // 2: ERROR
  });
});
