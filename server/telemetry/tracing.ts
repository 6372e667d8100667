import type { IncomingMessage, ServerResponse } from "node:http";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from "@opentelemetry/api";

/**
 * OpenTelemetry tracing, exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set (the standard OTEL_* variables tune it: headers, sampler, batch delay).
 * When it is not set nothing is loaded and every helper here is a plain call:
 * no SDK, no context manager (which would be AsyncLocalStorage, whose promise
 * hooks cost intake measurably), no trace context written anywhere.
 *
 * Spans come from our own boundaries — each HTTP request, tRPC procedure,
 * Telegram update, job and realtime emit — and from Prisma's instrumentation for
 * its queries (plus Next.js's own spans in the web process). The trace context
 * crosses processes in the rows that carry the work: a transaction sets
 * `app.traceparent` beside `app.request_id` (withTenant), and every job payload
 * and event row written in it records it, so a customer message's trace runs
 * from the webhook through the job to the realtime emit.
 */

type TracingState = { enabled: boolean; shutdown: () => Promise<void> };

// One per process: Next.js bundles instrumentation.ts apart from the custom server that also starts tracing.
const globalForTracing = globalThis as unknown as { supportChatTracing?: TracingState };

const tracer = () => trace.getTracer("support-chat");

export function tracingEnabled(): boolean {
  return globalForTracing.supportChatTracing?.enabled === true;
}

/** Starts tracing for this process if an OTLP endpoint is configured; safe to call twice. Returns its shutdown. */
export async function startTracing(service: "web" | "realtime" | "worker"): Promise<() => Promise<void>> {
  const existing = globalForTracing.supportChatTracing;
  if (existing) return existing.shutdown;
  if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    globalForTracing.supportChatTracing = { enabled: false, shutdown: async () => undefined };
    return globalForTracing.supportChatTracing.shutdown;
  }
  const [{ NodeSDK }, { OTLPTraceExporter }, { PrismaInstrumentation }] = await Promise.all([
    import("@opentelemetry/sdk-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@prisma/instrumentation"),
  ]);
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? `support-chat-${service}`,
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [new PrismaInstrumentation()],
  });
  sdk.start();
  globalForTracing.supportChatTracing = { enabled: true, shutdown: () => sdk.shutdown() };
  return globalForTracing.supportChatTracing.shutdown;
}

const traceparentPattern = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The current span as a W3C traceparent, to carry in a job or an event; "" when tracing is off or no span is active. */
export function currentTraceparent(): string {
  if (!tracingEnabled()) return "";
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const traceparent = carrier.traceparent ?? "";
  return traceparentPattern.test(traceparent) ? traceparent : "";
}

export type SpanOptions = {
  kind?: SpanKind;
  attributes?: Attributes;
  /**
   * Where the span's trace comes from: an incoming request's headers, or the
   * traceparent a job or event carried. Without it the span continues the
   * current context.
   */
  parent?: { traceparent?: string | null; tracestate?: string | null };
};

/** The context a new span starts in: the trace `parent` names (a new one if it names none), else the current one. */
function contextOf(parent: SpanOptions["parent"]) {
  if (!parent) return context.active();
  return propagation.extract(ROOT_CONTEXT, {
    ...(parent.traceparent ? { traceparent: parent.traceparent } : {}),
    ...(parent.tracestate ? { tracestate: parent.tracestate } : {}),
  });
}

/** Runs `fn` inside a span named `name` (its outcome recorded), or plainly when tracing is off. */
export function inSpan<T>(name: string, options: SpanOptions, fn: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return fn();
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, contextOf(options.parent), async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks the current span failed without an exception (a call that answered with an error). */
export function markCurrentSpanFailed(message: string): void {
  if (!tracingEnabled()) return;
  trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** Records a span that is over as soon as it starts (a realtime emit), in the trace `parent` names. */
export function recordSpan(name: string, options: SpanOptions): void {
  if (!tracingEnabled()) return;
  tracer().startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, contextOf(options.parent)).end();
}

/**
 * Runs `respond` inside a server span for one HTTP request, continuing the
 * caller's trace (its traceparent header); the span ends when the response does.
 */
export function inRequestSpan(req: IncomingMessage, res: ServerResponse, route: string, respond: () => void): void {
  if (!tracingEnabled()) return respond();
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === "string" ? value : undefined;
  };
  const parentContext = contextOf({ traceparent: header("traceparent"), tracestate: header("tracestate") });
  const method = req.method ?? "GET";
  tracer().startActiveSpan(
    `${method} ${route}`,
    { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "http.route": route } },
    parentContext,
    (span) => {
      res.once("close", () => {
        span.setAttribute("http.response.status_code", res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      respond();
    },
  );
}

export { SpanKind };
