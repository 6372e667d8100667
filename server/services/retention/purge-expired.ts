import type { AppDb, DbClient } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { Logger } from "@/server/logger";
import { recordAudit } from "@/server/services/audit/record-audit";
import { getSettings } from "@/server/services/settings/settings";

const DAY_MS = 86_400_000;
/** Rows deleted per statement, each in a transaction of its own: a large purge never holds one long transaction. */
const BATCH = 1_000;
/** Conversations whose messages are looked at per page (through the conversation + time index). */
const CONVERSATION_PAGE = 500;

type PurgeResult = { cutoff: Date; days: number; messages: number; uploads: number; events: number; quarantinedUpdates: number; notifications: number };

/**
 * Deletes what a workspace keeps no longer than `retention.days` (its own value,
 * else the environment's default, config/settings.json): messages written before
 * the cutoff, uploaded files older than it that no remaining message attaches
 * (a file is always older than the message that attaches it, so this includes
 * every file only purged messages used), and event-log rows before it (they
 * carry messages in their payloads), Telegram updates quarantined before it
 * (their raw bodies are customer messages too), and notifications made before it
 * (they carry a message's preview). Conversations stay; one left without any
 * message loses its preview. Records what it deleted as a `retention.purged`
 * audit entry, when it deleted anything. Returns null when the workspace keeps
 * everything.
 *
 * Every statement runs in the workspace's scope (row-level security) and also
 * names it. A run that stops half-way leaves a consistent state, and the next
 * run carries on (its audit entry counts what it deleted itself).
 */
export async function purgeExpiredData(deps: { appDb: AppDb; log: Logger; now?: Date }, tenantId: string): Promise<PurgeResult | null> {
  const inTenant = <T>(fn: (db: DbClient) => Promise<T>) => withTenant(deps.appDb, tenantId, (tx) => fn(tx as DbClient));
  const { values } = await inTenant((db) => getSettings(db, { tenantId }));
  const days = values.retention.days;
  if (days === null) return null;
  const cutoff = new Date((deps.now ?? new Date()).getTime() - days * DAY_MS);
  const result: PurgeResult = { cutoff, days, messages: 0, uploads: 0, events: 0, quarantinedUpdates: 0, notifications: 0 };

  // Messages, through the (conversationId, createdAt) index: a page of the workspace's conversations at a time.
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = await inTenant((db) =>
      db.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Conversation" WHERE "tenantId" = ${tenantId}::uuid AND id > ${after}::uuid ORDER BY id LIMIT ${CONVERSATION_PAGE}`,
    );
    if (page.length === 0) break;
    const ids = page.map((row) => row.id);
    for (;;) {
      const deleted = await inTenant(async (db) => {
        const rows = await db.$queryRaw<{ conversationId: string }[]>`
          DELETE FROM "Message" WHERE id IN (
            SELECT id FROM "Message" WHERE "conversationId" = ANY(${ids}::uuid[]) AND "tenantId" = ${tenantId}::uuid AND "createdAt" < ${cutoff} LIMIT ${BATCH}
          ) RETURNING "conversationId"`;
        const emptied = [...new Set(rows.map((row) => row.conversationId))];
        if (emptied.length > 0) {
          await db.$executeRaw`
            UPDATE "Conversation" c SET "lastMessagePreview" = NULL
            WHERE c.id = ANY(${emptied}::uuid[]) AND c."lastMessagePreview" IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c.id)`;
        }
        return rows.length;
      });
      result.messages += deleted;
      if (deleted < BATCH) break;
    }
    after = ids.at(-1)!;
  }

  // Files: older than the cutoff, and attached to no message that remains (only replies attach uploads).
  for (;;) {
    const deleted = await inTenant((db) =>
      db.$executeRaw`
        DELETE FROM "Upload" WHERE id IN (
          SELECT u.id FROM "Upload" u
          WHERE u."tenantId" = ${tenantId}::uuid AND u."createdAt" < ${cutoff}
            AND u.id::text NOT IN (
              SELECT a.value ->> 'uploadId' FROM "Message" m CROSS JOIN LATERAL jsonb_array_elements(m.attachments) a
              WHERE m."tenantId" = ${tenantId}::uuid AND m.direction = 'outbound' AND m.attachments <> '[]'::jsonb AND a.value ? 'uploadId'
            )
          LIMIT ${BATCH}
        )`,
    );
    result.uploads += deleted;
    if (deleted < BATCH) break;
  }

  /** Rows of a table written before the cutoff, a batch per statement; how many went. */
  const purgeOlder = async (table: "Event" | "QuarantinedUpdate" | "Notification") => {
    let total = 0;
    for (;;) {
      const deleted = await inTenant((db) =>
        db.$executeRaw`
          DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE id IN (
            SELECT id FROM ${Prisma.raw(`"${table}"`)} WHERE "tenantId" = ${tenantId}::uuid AND "createdAt" < ${cutoff} LIMIT ${BATCH}
          )`,
      );
      total += deleted;
      if (deleted < BATCH) return total;
    }
  };
  result.events = await purgeOlder("Event");
  result.quarantinedUpdates = await purgeOlder("QuarantinedUpdate");
  result.notifications = await purgeOlder("Notification");

  if (result.messages + result.uploads + result.events + result.quarantinedUpdates + result.notifications > 0) {
    await inTenant((db) =>
      recordAudit(db, {
        tenantId,
        action: "retention.purged",
        actor: {},
        targetType: "tenant",
        targetId: tenantId,
        metadata: {
          cutoff: cutoff.toISOString(),
          days,
          messages: result.messages,
          uploads: result.uploads,
          events: result.events,
          quarantinedUpdates: result.quarantinedUpdates,
          notifications: result.notifications,
        },
      }),
    );
    deps.log.info({ tenantId, ...result }, "data past its retention purged");
  }
  return result;
}
