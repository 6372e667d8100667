import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type pg from "pg";
import type { Logger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/api-error";
import { takeUpdate } from "./take-update";

/**
 * Telegram's real bodies are a few kilobytes (a 4,096-character text at most);
 * this reads far beyond that, so that even a megabyte-long text, which is not
 * Telegram's, is read whole and quarantined with everything it said. Only an
 * authenticated request is read at all (the secret is checked first).
 */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function sameSecret(given: string | null, expected: string): boolean {
  // Hashing first gives equal lengths, which timingSafeEqual needs, without leaking the length.
  const a = createHash("sha256").update(given ?? "").digest();
  const b = createHash("sha256").update(expected).digest();
  return given !== null && timingSafeEqual(a, b);
}

export type WebhookDeps = { pool: pg.Pool; systemPool: pg.Pool; log: Logger };
export type WebhookAnswer = { status: number; body: Record<string, unknown>; retryAfterSeconds?: number };

/** What the webhook needs of a request, whichever server received it. */
export type WebhookRequest = {
  channelId: string;
  /** The delivery's id (Telegram sends none; the web process gives each request one): its event and jobs carry it. */
  requestId: string;
  secret: string | null;
  /** The body's bytes, or its first `limit` bytes (`complete: false`, read no further) when it is longer. */
  readBody: (limit: number) => Promise<{ bytes: Buffer; complete: boolean }>;
};

type WebhookChannel = { id: string; tenantId: string; webhookSecret: string; status: string };

/** How long a process trusts what it read of a channel; a secret that does not match is always read again. */
const CHANNEL_CACHE_MS = 5_000;
const channelCache = new Map<string, { channel: WebhookChannel; readAt: number }>();

/**
 * The channel a webhook is for, read with the owner's connection (the tenant is
 * not known until it is found). Active channels are remembered for a few seconds:
 * it saves intake one round trip in five. A secret that does not match what was
 * remembered is checked against the database again, so a reconnected channel's
 * new secret works at once; a disconnect takes effect within CHANNEL_CACHE_MS
 * (and Telegram stops sending when the webhook is deleted anyway).
 */
async function channelFor(channelId: string, secret: string | null, systemPool: pg.Pool): Promise<WebhookChannel | undefined> {
  const cached = channelCache.get(channelId);
  if (cached && Date.now() - cached.readAt < CHANNEL_CACHE_MS && sameSecret(secret, cached.channel.webhookSecret)) return cached.channel;
  const { rows } = await systemPool.query<WebhookChannel>({
    name: "webhook_channel",
    text: `SELECT c.id, c."tenantId", t."webhookSecret", c.status FROM "Channel" c JOIN "TelegramChannel" t ON t."channelId" = c.id WHERE c.id = $1`,
    values: [channelId],
  });
  const channel = rows[0];
  if (channel?.status === "active") {
    if (channelCache.size >= 10_000) channelCache.clear(); // unknown ids are never cached; this bounds the rest
    channelCache.set(channelId, { channel, readAt: Date.now() });
  } else {
    channelCache.delete(channelId);
  }
  return channel;
}

const unavailable: WebhookAnswer = { status: 503, body: { error: "temporarily unavailable" }, retryAfterSeconds: 5 };

/**
 * POST /api/telegram/<channelId>/webhook. The answer is what Telegram acts on:
 * 200 takes the update off its queue once it is stored — or quarantined, when it
 * cannot be read or stored (takeUpdate): a retry would fail the same way and
 * block the chat meanwhile; 401 for a wrong secret, with nothing stored; 503 with
 * Retry-After when the database is down, so Telegram retries and nothing is lost.
 */
export async function takeWebhook(request: WebhookRequest, deps: WebhookDeps): Promise<WebhookAnswer> {
  const counter = metrics().webhookUpdates;
  const { channelId } = request;
  if (!z.uuid().safeParse(channelId).success) return { status: 404, body: { error: "not found" } };
  let channel;
  try {
    channel = await channelFor(channelId, request.secret, deps.systemPool);
  } catch (error) {
    deps.log.error({ err: error, requestId: request.requestId, channelId }, "webhook: database unavailable");
    counter.inc({ result: "error" });
    return unavailable;
  }
  if (!channel) return { status: 404, body: { error: "not found" } };
  if (!sameSecret(request.secret, channel.webhookSecret)) {
    counter.inc({ result: "unauthorized" });
    return { status: 401, body: { error: "unauthorized" } };
  }
  if (channel.status === "disconnected") return { status: 200, body: { ok: true, ignored: "channel disconnected" } };

  const body = await request.readBody(MAX_BODY_BYTES);
  try {
    const result = await takeUpdate(
      deps,
      { tenantId: channel.tenantId, channelId: channel.id },
      { bytes: body.bytes, ...(body.complete ? {} : { overLimit: MAX_BODY_BYTES }) },
      { requestId: request.requestId },
    );
    deps.log.debug({ requestId: request.requestId, channelId, result }, "webhook: update taken");
    return { status: 200, body: { ok: true, result } };
  } catch (error) {
    deps.log.error({ err: error, requestId: request.requestId, channelId }, "webhook: update not stored, Telegram will retry");
    counter.inc({ result: "error" });
    return unavailable;
  }
}

const answerHeaders = (answer: WebhookAnswer): Record<string, string> => ({
  "content-type": "application/json",
  ...(answer.retryAfterSeconds ? { "retry-after": String(answer.retryAfterSeconds) } : {}),
});

/** The webhook for a web-standard Request (the Next.js route). */
export async function handleTelegramWebhook(request: Request, channelId: string, deps: WebhookDeps): Promise<Response> {
  const answer = await takeWebhook(
    {
      channelId,
      requestId: requestIdFrom(request.headers.get(REQUEST_ID_HEADER)),
      secret: request.headers.get("x-telegram-bot-api-secret-token"),
      readBody: (limit) => readLimitedStream(request.body, limit),
    },
    deps,
  );
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answerHeaders(answer) });
}

const webhookPath = /^\/api\/telegram\/([^/?]+)\/webhook(?:\?.*)?$/;

/**
 * The webhook on Node's own request and response, as the web process serves it
 * ahead of Next.js: intake is the product's hot path, and Next's routing and
 * Request conversion would cost it more than the update's own work. Returns
 * false when the request is not a webhook POST, for the caller to pass on.
 */
export function serveTelegramWebhook(req: IncomingMessage, res: ServerResponse, deps: WebhookDeps): boolean {
  const channelId = req.method === "POST" ? webhookPath.exec(req.url ?? "")?.[1] : undefined;
  if (channelId === undefined) return false;
  const secret = req.headers["x-telegram-bot-api-secret-token"];
  const header = req.headers[REQUEST_ID_HEADER];
  const requestId = requestIdFrom(typeof header === "string" ? header : undefined);
  takeWebhook({ channelId: decodeURIComponent(channelId), requestId, secret: typeof secret === "string" ? secret : null, readBody: (limit) => readLimited(req, limit) }, deps)
    .catch((error: unknown): WebhookAnswer => {
      deps.log.error({ err: error, requestId }, "webhook: failed");
      return unavailable;
    })
    .then((answer) => {
      res.writeHead(answer.status, { ...answerHeaders(answer), [REQUEST_ID_HEADER]: requestId }).end(JSON.stringify(answer.body));
      if (!req.complete) req.resume(); // the rest of an oversized (or unread) body is discarded, not buffered
    });
  return true;
}

function readLimited(req: IncomingMessage, limit: number): Promise<{ bytes: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) {
        chunks.push(chunk.subarray(0, limit - size));
        req.off("data", onData);
        req.pause();
        resolve({ bytes: Buffer.concat(chunks), complete: false });
        return;
      }
      size += chunk.length;
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve({ bytes: Buffer.concat(chunks), complete: true }));
    req.once("error", reject);
  });
}

/** readLimited for a web-standard body: stops reading (and cancels the rest) past `limit`. */
async function readLimitedStream(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<{ bytes: Buffer; complete: boolean }> {
  if (!stream) return { bytes: Buffer.alloc(0), complete: true };
  const reader = stream.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: Buffer.concat(chunks), complete: true };
    if (size + value.length > limit) {
      chunks.push(Buffer.from(value.subarray(0, limit - size)));
      await reader.cancel().catch(() => undefined);
      return { bytes: Buffer.concat(chunks), complete: false };
    }
    size += value.length;
    chunks.push(Buffer.from(value));
  }
}
