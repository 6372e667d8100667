import type { SystemDb } from "@/server/db/client";

/**
 * How long intake remembers a dedupe key (`ProcessedUpdate`): far past what any
 * channel sends twice — Telegram keeps an unconfirmed update for 24 hours, a
 * widget tab retries a failed send when its visitor asks. Later, a re-sent
 * message is still refused by its business key (conversation, direction,
 * external id) while its conversation is open; only one resolved since then
 * would take it again.
 */
export const DEDUPE_KEY_DAYS = 30;
const DAY_MS = 86_400_000;
/** Keys deleted per statement, each its own transaction: a large backlog never holds one long transaction. */
const BATCH = 5_000;

/**
 * Deletes the dedupe keys older than DEDUPE_KEY_DAYS, of every workspace:
 * bookkeeping of intake, not anyone's data, so the owner's client does it
 * across tenants, through the `processedAt` index. Returns how many went.
 */
export async function forgetDedupeKeys(systemDb: SystemDb, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - DEDUPE_KEY_DAYS * DAY_MS);
  let forgotten = 0;
  for (;;) {
    const deleted = await systemDb.$executeRaw`
      DELETE FROM "ProcessedUpdate" WHERE ("channelId", key) IN (
        SELECT "channelId", key FROM "ProcessedUpdate" WHERE "processedAt" < ${cutoff} LIMIT ${BATCH}
      )`;
    forgotten += deleted;
    if (deleted < BATCH) return forgotten;
  }
}
