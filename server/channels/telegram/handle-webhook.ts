import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type pg from "pg";
import { withTenantSql } from "@/server/db/app-pool";
import type { Logger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/api-error";
import { announceEvents } from "@/server/realtime/announce";
import { ingestUpdate } from "./ingest-update";
import { updateSchema } from "./normalize-update";

/** Telegram's own limit for a webhook body is far below this; anything bigger is not Telegram. */
const MAX_BODY_BYTES = 1_000_000;

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
  /** The body as text, or null when it is longer than `limit` bytes (read no further). */
  readBody: (limit: number) => Promise<string | null>;
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
    text: `SELECT id, "tenantId", "webhookSecret", status FROM "Channel" WHERE id = $1`,
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
 * 200 takes the update off its queue (also for a body we cannot parse — a retry
 * would not help and would block the chat); 401 for a wrong secret, with nothing
 * stored; 503 with Retry-After when the database is down, so Telegram retries
 * and nothing is lost.
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

  const raw = await request.readBody(MAX_BODY_BYTES);
  if (raw === null) {
    counter.inc({ result: "parse_error" });
    return { status: 200, body: { ok: true, ignored: "too large" } };
  }
  let parsed;
  try {
    parsed = updateSchema.safeParse(JSON.parse(raw));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    counter.inc({ result: "parse_error" });
    deps.log.warn({ requestId: request.requestId, channelId, issues: parsed?.error.issues.slice(0, 3) }, "webhook: update not understood, dropped");
    return { status: 200, body: { ok: true, ignored: "unparseable" } };
  }
  try {
    const result = await withTenantSql(
      deps.pool,
      channel.tenantId,
      (client) => ingestUpdate(client, { tenantId: channel.tenantId, channelId: channel.id }, parsed.data),
      { requestId: request.requestId },
    );
    counter.inc({ result });
    deps.log.debug({ requestId: request.requestId, channelId, updateId: parsed.data.update_id, result }, "webhook: update taken");
    if (result === "ok") announceEvents(deps.systemPool);
    return { status: 200, body: { ok: true, result } };
  } catch (error) {
    deps.log.error({ err: error, requestId: request.requestId, channelId, updateId: parsed.data.update_id }, "webhook: update not stored, Telegram will retry");
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
      readBody: async (limit) => {
        const text = await request.text();
        return Buffer.byteLength(text) > limit ? null : text;
      },
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

function readLimited(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}
