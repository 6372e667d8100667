import type { AppDb } from "@/server/db/client";
import { withTenant, type TransactionOrigin } from "@/server/db/tenant-scope";
import type { Logger } from "@/server/logger";
import { announceEvents } from "@/server/realtime/announce";
import { updateConversation } from "@/server/services/conversations/conversations";
import { getSettings } from "@/server/services/settings/settings";

const DAY_MS = 86_400_000;
/** Conversations resolved per transaction: a workspace with a large backlog never holds one long transaction. */
const BATCH = 100;

/**
 * Resolves a workspace's open and pending conversations whose last message (or,
 * with none, whose start) is older than `conversationRules.autoResolveAfterDays`,
 * each as conversations.update would (a conversation.status_changed event), in
 * batches, and returns how many. Snoozed conversations wait for their time.
 * Rows are locked as they are picked and ones locked by someone else (intake
 * storing a message right now) are skipped, so a conversation the customer just
 * wrote to is left for the next run.
 */
export async function autoResolveIdleConversations(deps: { appDb: AppDb; log: Logger; now?: Date; origin?: TransactionOrigin }, tenantId: string): Promise<number> {
  const { values } = await withTenant(deps.appDb, tenantId, (db) => getSettings(db, { tenantId }));
  const days = values.conversationRules.autoResolveAfterDays;
  if (days === null) return 0;
  const cutoff = new Date((deps.now ?? new Date()).getTime() - days * DAY_MS);
  let total = 0;
  for (;;) {
    const resolved = await withTenant(deps.appDb, tenantId, async (db) => {
      const idle = await db.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Conversation"
        WHERE "tenantId" = ${tenantId}::uuid AND status IN ('open', 'pending') AND COALESCE("lastMessageAt", "createdAt") < ${cutoff}
        ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
      for (const { id } of idle) await updateConversation(db, { id, tenantId, status: "resolved" });
      return idle.length;
    }, deps.origin);
    if (resolved > 0) announceEvents(deps.appDb);
    total += resolved;
    if (resolved < BATCH) break;
  }
  if (total > 0) deps.log.info({ tenantId, resolved: total, idleDays: days }, "idle conversations resolved");
  return total;
}
