import type pg from "pg";
import { withTenantSql } from "@/server/db/app-pool";
import { isTransientError } from "@/server/db/is-transient-error";
import type { Logger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
import { announceEvents } from "@/server/realtime/announce";
import { ingestUpdate, type IngestResult } from "./ingest-update";
import { parseUpdate } from "./parse-update";
import { quarantineUpdate } from "./quarantine/quarantine-update";
import { storeFailure } from "./store-failure";
import { cleanText } from "@/server/security/clean-text";

/** Tries of a store that failed for a reason of its own before the update is set aside: such a failure usually repeats, one from a race (a key taken meanwhile) does not. */
const ATTEMPTS = 5;
/** 25, 50, 100, 200 ms between them: under 400 ms in all, while Telegram waits for the answer. */
const backoffMs = (attempt: number) => 25 * 2 ** (attempt - 1);
/** What is kept of a body too large to read whole: enough to see what it was. */
const KEPT_BYTES = 64 * 1024;

export type TakeResult = IngestResult | "quarantined" | "unparseable";

/** Telegram writes update_id first: a body cut short usually still says which update it was. */
const leadingUpdateId = (bytes: Buffer) => {
  const id = /^\s*\{\s*"update_id"\s*:\s*(\d{1,15})\b/.exec(bytes.subarray(0, 64).toString("latin1"))?.[1];
  return id === undefined ? null : Number(id);
};

type Body = {
  /** The update's bytes as Telegram sent them (what a quarantine keeps). */
  bytes: Buffer;
  /** The same update already parsed (getUpdates' result); else `bytes` are parsed. */
  value?: unknown;
  /** Set when the body was longer than this many bytes, the reader's limit: `bytes` are its first part only. */
  overLimit?: number;
};

/**
 * One Telegram update, from the webhook or the poller, into the inbox — or into
 * the channel's quarantine, so that no update can stop a channel. A body that is
 * not an update (not JSON, not the shape, a field past its bound, too large) is
 * quarantined at once. A store that fails because of the data (a value
 * PostgreSQL refuses, a constraint, our own TypeError on odd input) is tried
 * ATTEMPTS times in all, then quarantined. A failure of the database itself
 * (unreachable, shutting down, out of connections, a deadlock) is thrown, with
 * nothing quarantined, for the caller to try again later: the webhook answers
 * 503, the poller keeps its offset (and each counts it as an `error`). Intake
 * moves on once this returns.
 */
export async function takeUpdate(
  deps: { pool: pg.Pool; log: Logger },
  scope: { tenantId: string; channelId: string },
  body: Body,
  origin: { requestId?: string } = {},
): Promise<TakeResult> {
  const counter = metrics().webhookUpdates;
  const context = { requestId: origin.requestId, channelId: scope.channelId };
  if (body.overLimit !== undefined) {
    const error = `too large: the body is over ${body.overLimit.toLocaleString("en")} bytes, far more than Telegram sends; its first ${KEPT_BYTES.toLocaleString("en")} bytes are kept`;
    await quarantineUpdate(deps.pool, scope, { updateId: leadingUpdateId(body.bytes), raw: body.bytes.subarray(0, KEPT_BYTES), errorCode: "too_large", error, attempts: 1, retriable: false }, origin);
    counter.inc({ result: "parse_error" });
    deps.log.warn(context, "telegram update too large to read, quarantined");
    return "unparseable";
  }

  const parsed = parseUpdate(body.value === undefined ? { json: body.bytes.toString("utf8") } : { value: body.value });
  if (!parsed.ok) {
    await quarantineUpdate(deps.pool, scope, { updateId: parsed.updateId, raw: body.bytes, errorCode: parsed.code, error: parsed.error, attempts: 1 }, origin);
    counter.inc({ result: "parse_error" });
    // The code only: the reason can quote the body (JSON.parse's message shows the text around the error); the quarantine keeps it.
    deps.log.warn({ ...context, updateId: parsed.updateId, code: parsed.code }, "telegram update not understood, quarantined");
    return "unparseable";
  }

  const update = parsed.update;
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const result = await withTenantSql(deps.pool, scope.tenantId, (client) => ingestUpdate(client, scope, update), origin);
      counter.inc({ result });
      if (result === "ok") announceEvents(deps.pool);
      return result;
    } catch (error) {
      if (isTransientError(error)) throw error;
      lastError = error;
      if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
  const failure = storeFailure(lastError);
  await quarantineUpdate(deps.pool, scope, { updateId: update.update_id, raw: body.bytes, ...failure, attempts: ATTEMPTS }, origin);
  counter.inc({ result: "quarantined" });
  // The code and the error's own message, never its detail: a constraint's detail repeats the whole row, the
  // customer's text included, and a log outlives the retention purge. The quarantine row keeps the detail.
  const message = lastError instanceof Error ? cleanText(lastError.message.slice(0, 300)) : "unknown";
  deps.log.warn({ ...context, updateId: update.update_id, code: failure.errorCode, reason: message }, `telegram update not stored after ${ATTEMPTS} attempts, quarantined`);
  return "quarantined";
}
