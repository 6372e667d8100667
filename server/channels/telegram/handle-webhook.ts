import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type pg from "pg";
import { withTenantSql } from "@/server/db/app-pool";
import type { Logger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
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

/**
 * POST /api/telegram/<channelId>/webhook. The answer is what Telegram acts on:
 * 200 takes the update off its queue (also for a body we cannot parse — a retry
 * would not help and would block the chat); 401 for a wrong secret, with nothing
 * stored; 503 with Retry-After when the database is down, so Telegram retries
 * and nothing is lost.
 */
export async function handleTelegramWebhook(
  request: Request,
  channelId: string,
  deps: { pool: pg.Pool; systemPool: pg.Pool; log: Logger },
): Promise<Response> {
  const counter = metrics().webhookUpdates;
  if (!z.uuid().safeParse(channelId).success) return Response.json({ error: "not found" }, { status: 404 });
  let channel;
  try {
    // The tenant is not known until the channel is found, so this lookup uses the owner's connection.
    const { rows } = await deps.systemPool.query<{ id: string; tenantId: string; webhookSecret: string; status: string }>(
      `SELECT id, "tenantId", "webhookSecret", status FROM "Channel" WHERE id = $1`,
      [channelId],
    );
    channel = rows[0];
  } catch (error) {
    deps.log.error({ err: error, channelId }, "webhook: database unavailable");
    counter.inc({ result: "error" });
    return Response.json({ error: "temporarily unavailable" }, { status: 503, headers: { "retry-after": "5" } });
  }
  if (!channel) return Response.json({ error: "not found" }, { status: 404 });
  if (!sameSecret(request.headers.get("x-telegram-bot-api-secret-token"), channel.webhookSecret)) {
    counter.inc({ result: "unauthorized" });
    return Response.json({ error: "unauthorized" }, { status: 401 });
  }
  if (channel.status === "disconnected") return Response.json({ ok: true, ignored: "channel disconnected" });

  const raw = await request.text();
  if (raw.length > MAX_BODY_BYTES) {
    counter.inc({ result: "parse_error" });
    return Response.json({ ok: true, ignored: "too large" });
  }
  let parsed;
  try {
    parsed = updateSchema.safeParse(JSON.parse(raw));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    counter.inc({ result: "parse_error" });
    deps.log.warn({ channelId, issues: parsed?.error.issues.slice(0, 3) }, "webhook: update not understood, dropped");
    return Response.json({ ok: true, ignored: "unparseable" });
  }
  try {
    const result = await withTenantSql(deps.pool, channel.tenantId, (client) =>
      ingestUpdate(client, { tenantId: channel.tenantId, channelId: channel.id }, parsed.data),
    );
    counter.inc({ result });
    return Response.json({ ok: true, result });
  } catch (error) {
    deps.log.error({ err: error, channelId, updateId: parsed.data.update_id }, "webhook: update not stored, Telegram will retry");
    counter.inc({ result: "error" });
    return Response.json({ error: "temporarily unavailable" }, { status: 503, headers: { "retry-after": "5" } });
  }
}
