import { parseCronItems, type ParsedCronItem } from "graphile-worker";
import type { SettingKey } from "@/lib/settings/schema";
import type { AppDb, SystemDb } from "@/server/db/client";
import type { Logger } from "@/server/logger";
import type { JobTask } from "./job-task";
import { forgetDedupeKeys } from "@/server/channels/core/forget-dedupe-keys";
import { autoResolveIdleConversations } from "@/server/services/automation/auto-resolve";
import { purgeExpiredData } from "@/server/services/retention/purge-expired";
import { appEnv, environmentDefaults } from "@/server/services/settings/settings";
import { sweepAvailability } from "@/server/services/assignment/sweep-availability";
import { withTenant } from "@/server/db/tenant-scope";
import { announceEvents } from "@/server/realtime/announce";

export const AUTO_RESOLVE_TASK = "automation.auto_resolve";
export const RETENTION_PURGE_TASK = "retention.purge";
export const FORGET_DEDUPE_KEYS_TASK = "intake.forget_dedupe_keys";
export const ASSIGNMENT_SWEEP_TASK = "assignment.sweep";

/**
 * The worker's periodic jobs, on graphile-worker's crontab: each tick is
 * scheduled once across all workers (its `known_crontabs` bookkeeping); a queue
 * of its own runs one at a time, and the job key keeps at most one more waiting
 * behind a slow run. The purge also catches up on a run missed while no worker was up.
 */
export const scheduledJobs: ParsedCronItem[] = parseCronItems([
  { task: AUTO_RESOLVE_TASK, match: "*/10 * * * *", options: { backfillPeriod: 0, maxAttempts: 1, queueName: AUTO_RESOLVE_TASK, jobKey: AUTO_RESOLVE_TASK } },
  { task: RETENTION_PURGE_TASK, match: "17 * * * *", options: { backfillPeriod: 3_600_000, maxAttempts: 3, queueName: RETENTION_PURGE_TASK, jobKey: RETENTION_PURGE_TASK } },
  { task: FORGET_DEDUPE_KEYS_TASK, match: "41 * * * *", options: { backfillPeriod: 0, maxAttempts: 3, queueName: FORGET_DEDUPE_KEYS_TASK, jobKey: FORGET_DEDUPE_KEYS_TASK } },
  { task: ASSIGNMENT_SWEEP_TASK, match: "* * * * *", options: { backfillPeriod: 0, maxAttempts: 1, queueName: ASSIGNMENT_SWEEP_TASK, jobKey: ASSIGNMENT_SWEEP_TASK } },
]);

const TENANT_PAGE = 500;

/**
 * The workspaces a periodic job must look at for a setting: all of them when
 * the environment gives the setting a default (config/settings.json), else only
 * those that set it themselves. A lookup across tenants, so the owner's client;
 * each workspace's work then runs in its own scope.
 */
async function* tenantsWithSetting(systemDb: SystemDb, key: SettingKey): AsyncGenerator<string> {
  const everyone = key in environmentDefaults(appEnv());
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const page = everyone
      ? await systemDb.$queryRaw<{ id: string }[]>`SELECT id FROM "Tenant" WHERE id > ${after}::uuid ORDER BY id LIMIT ${TENANT_PAGE}`
      : await systemDb.$queryRaw<{ id: string }[]>`
          SELECT "tenantId" AS id FROM "TenantSettings" WHERE values ? ${key} AND "tenantId" > ${after}::uuid ORDER BY "tenantId" LIMIT ${TENANT_PAGE}`;
    for (const { id } of page) yield id;
    if (page.length < TENANT_PAGE) return;
    after = page.at(-1)!.id;
  }
}

/** Runs `work` for each workspace in turn; one that fails is logged and the others still get their turn. */
async function eachTenant(deps: { systemDb: SystemDb; log: Logger }, task: string, key: SettingKey, work: (tenantId: string) => Promise<unknown>) {
  let failures = 0;
  for await (const tenantId of tenantsWithSetting(deps.systemDb, key)) {
    try {
      await work(tenantId);
    } catch (error) {
      failures++;
      deps.log.error({ err: error, tenantId, task }, "periodic job failed for a workspace");
    }
  }
  // Failing the job makes graphile-worker retry it (the purge) and shows in its logs.
  if (failures > 0) throw new Error(`${task} failed for ${failures} workspace(s)`);
}

export function scheduledTaskList(deps: { appDb: AppDb; systemDb: SystemDb }): Record<string, JobTask> {
  return {
    [AUTO_RESOLVE_TASK]: (_payload, job) =>
      eachTenant({ ...deps, log: job.log }, AUTO_RESOLVE_TASK, "conversationRules", (tenantId) =>
        autoResolveIdleConversations({ ...deps, log: job.log, origin: { requestId: job.requestId } }, tenantId),
      ),
    [RETENTION_PURGE_TASK]: (_payload, job) =>
      eachTenant({ ...deps, log: job.log }, RETENTION_PURGE_TASK, "retention", (tenantId) => purgeExpiredData({ ...deps, log: job.log }, tenantId)),
    [ASSIGNMENT_SWEEP_TASK]: async (_payload, job) => {
      // Workspaces where someone may have to turn offline, or have work taken back: a lookup across tenants.
      const tenants = await deps.systemDb.$queryRaw<{ tenantId: string }[]>`
        SELECT "tenantId" FROM "Membership" WHERE availability <> 'offline'
        UNION
        SELECT c."tenantId" FROM "Conversation" c JOIN "Membership" m ON m."tenantId" = c."tenantId" AND m."userId" = c."assigneeId"
        WHERE c."autoAssigned" AND c.status = 'open' AND m.availability = 'offline'`;
      for (const { tenantId } of tenants) {
        const swept = await withTenant(deps.appDb, tenantId, (db) => sweepAvailability(db, { tenantId }), { requestId: job.requestId });
        if (swept.wentOffline > 0 || swept.returned > 0) {
          announceEvents(deps.appDb);
          job.log.info({ tenantId, ...swept }, "assignment: offline members swept");
        }
      }
    },
    [FORGET_DEDUPE_KEYS_TASK]: async (_payload, job) => {
      const forgotten = await forgetDedupeKeys(deps.systemDb);
      if (forgotten > 0) job.log.info({ forgotten }, "intake: forgot old dedupe keys");
    },
  };
}
