import type pg from "pg";
import { withTenantSql } from "@/server/db/app-pool";
import type { DbClient } from "@/server/db/client";
import { isTransientError } from "@/server/db/is-transient-error";
import { AppError } from "@/server/errors";
import { announceEvents } from "@/server/realtime/announce";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { ingestUpdate, type IngestResult } from "../ingest-update";
import { parseUpdate } from "../parse-update";
import { storeFailure } from "../store-failure";

export type RetryOutcome = { stored: true; result: IngestResult } | { stored: false; errorCode: string; error: string };

type Locked = { raw: Buffer; status: string; channelId: string; updateId: string | null };

/**
 * Takes a quarantined update in again after a fix: read, cleaned and parsed as
 * intake does (parse-update.ts), then stored by intake's own ingestUpdate in one
 * transaction of the app role bound to the tenant, which also marks the row
 * retried — so the message and its events appear exactly when the quarantine
 * says so, and announced as intake announces them. If it fails again, the row
 * keeps the new error and one more attempt, and the answer says why (a result,
 * not an error: the attempt is audited either way). Already stored updates
 * (Telegram redelivered one meanwhile) come back `duplicate` and are resolved too.
 */
export async function retryQuarantinedUpdate(deps: { db: DbClient; appPool: pg.Pool }, input: { tenantId: string; id: string; actor: Actor }): Promise<RetryOutcome> {
  // Through the scoped client first, so another workspace's id is NOT_FOUND before intake's pool is touched.
  const found = await deps.db.quarantinedUpdate.findUnique({ where: { id: input.id }, select: { id: true, status: true, retriable: true, updateId: true } });
  if (!found) throw new AppError("NOT_FOUND", "no such quarantined update");
  if (found.status !== "pending") throw new AppError("CONFLICT", `this update was already ${found.status}`);
  if (!found.retriable) throw new AppError("CONFLICT", "only the first bytes of this update were kept (it was too large to read), so there is nothing to retry; discard it");

  const pool = deps.appPool;
  let outcome: RetryOutcome;
  try {
    outcome = await withTenantSql(
      pool,
      input.tenantId,
      async (client) => {
        const { rows } = await client.query<Locked>(`SELECT raw, status, "channelId", "updateId" FROM "QuarantinedUpdate" WHERE id = $1 FOR UPDATE`, [input.id]);
        const row = rows[0];
        if (!row || row.status !== "pending") throw new AppError("CONFLICT", "this update was resolved meanwhile");
        const failed = async (failure: { errorCode: string; error: string }): Promise<RetryOutcome> => {
          await client.query(`UPDATE "QuarantinedUpdate" SET error = $2, "errorCode" = $3, attempts = attempts + 1, "updatedAt" = now() WHERE id = $1`, [input.id, failure.error, failure.errorCode]);
          return { stored: false, ...failure };
        };
        const parsed = parseUpdate({ json: row.raw.toString("utf8") });
        if (!parsed.ok) return failed({ errorCode: parsed.code, error: parsed.error });
        // A savepoint, so a failing ingest leaves this transaction able to record why.
        await client.query("SAVEPOINT retry");
        let result: IngestResult;
        try {
          result = await ingestUpdate(client, { tenantId: input.tenantId, channelId: row.channelId }, parsed.update);
        } catch (error) {
          if (isTransientError(error)) throw error;
          await client.query("ROLLBACK TO SAVEPOINT retry");
          return failed(storeFailure(error));
        }
        await client.query(
          `UPDATE "QuarantinedUpdate" SET status = 'retried', attempts = attempts + 1, "resolvedAt" = now(), "resolvedByUserId" = $2, "resolvedByApiKeyId" = $3, "updatedAt" = now() WHERE id = $1`,
          [input.id, input.actor.userId ?? null, input.actor.apiKeyId ?? null],
        );
        return { stored: true, result };
      },
      { requestId: input.actor.requestId },
    );
  } catch (error) {
    if (error instanceof AppError || !isTransientError(error)) throw error;
    throw new AppError("SERVICE_UNAVAILABLE", "the database did not answer; nothing changed, try again in a moment");
  }
  if (outcome.stored && outcome.result === "ok") announceEvents(pool);
  await recordAudit(deps.db, {
    tenantId: input.tenantId,
    action: "quarantined_update.retried",
    actor: input.actor,
    targetType: "quarantined_update",
    targetId: found.id,
    metadata: { updateId: found.updateId === null ? null : Number(found.updateId), ...(outcome.stored ? { outcome: outcome.result } : { outcome: "failed", errorCode: outcome.errorCode, error: outcome.error }) },
  });
  return outcome;
}
