import { createHash, randomUUID } from "node:crypto";
import type pg from "pg";
import { withTenantSql } from "@/server/db/app-pool";

export type QuarantineEntry = {
  updateId: number | null;
  /** The body as it came; only its first bytes when `retriable` is false. */
  raw: Buffer;
  errorCode: string;
  error: string;
  /** How many times intake tried to store it (1 for a body it could not read). */
  attempts: number;
  retriable?: boolean;
};

/**
 * Sets an update aside in the channel's quarantine, in a transaction of its own
 * bound to the tenant (row-level security applies as to intake). The same body
 * quarantined again — Telegram redelivering an update whose 200 was lost, a new
 * poller repeating one — adds its attempts and the latest error to the row it
 * already has, unless an admin has resolved that row meanwhile.
 */
export async function quarantineUpdate(pool: pg.Pool, scope: { tenantId: string; channelId: string }, entry: QuarantineEntry, origin: { requestId?: string } = {}): Promise<void> {
  const digest = createHash("sha256").update(entry.raw).digest("hex");
  await withTenantSql(
    pool,
    scope.tenantId,
    (client) =>
      client.query(
        `INSERT INTO "QuarantinedUpdate" (id, "tenantId", "channelId", "updateId", raw, digest, error, "errorCode", attempts, retriable, "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
         ON CONFLICT ("channelId", digest) DO UPDATE
           SET attempts = "QuarantinedUpdate".attempts + EXCLUDED.attempts, error = EXCLUDED.error, "errorCode" = EXCLUDED."errorCode", "updatedAt" = now()
           WHERE "QuarantinedUpdate".status = 'pending'`,
        [randomUUID(), scope.tenantId, scope.channelId, entry.updateId, entry.raw, digest, entry.error, entry.errorCode, entry.attempts, entry.retriable ?? true],
      ),
    origin,
  );
}
