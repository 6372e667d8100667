import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createSendLimits } from "@/server/channels/core/send-limits";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { startDeliveryRunner } from "./delivery-runner";
import { createTenantFixture } from "@/server/test/fixtures";
import type { JobContext } from "./job-task";
import { ASSIGNMENT_SWEEP_TASK, AUTO_RESOLVE_TASK, FORGET_DEDUPE_KEYS_TASK, RETENTION_PURGE_TASK, scheduledTaskList } from "./scheduled-tasks";

let database: TestDatabase;
let limits: ReturnType<typeof createSendLimits>;

beforeAll(async () => {
  database = await createTestDatabase();
  limits = createSendLimits({ databaseUrl: database.url });
});
afterAll(async () => {
  await limits.close();
  await database.drop();
});

const knownCrontabs = async () =>
  (await database.db.$queryRaw<{ identifier: string }[]>`SELECT identifier FROM graphile_worker._private_known_crontabs ORDER BY identifier`).map((row) => row.identifier);

describe("the worker's periodic jobs", () => {
  it("are put on the shared crontab by a worker that runs them, and by no other runner", async () => {
    const log = createLogger("test", "silent");
    const plain = await startDeliveryRunner({ connectionString: database.url, appDb: database.appDb, limits, log });
    await plain.stop();
    expect(await knownCrontabs()).toEqual([]);

    const worker = await startDeliveryRunner({ connectionString: database.url, appDb: database.appDb, limits, log, scheduled: { systemDb: database.db } });
    try {
      // graphile-worker records each schedule once it has started the cron loop.
      const deadline = Date.now() + 10_000;
      while ((await knownCrontabs()).length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await knownCrontabs()).toEqual([ASSIGNMENT_SWEEP_TASK, AUTO_RESOLVE_TASK, FORGET_DEDUPE_KEYS_TASK, RETENTION_PURGE_TASK].sort());
    } finally {
      await worker.stop();
    }
  });

  it("the assignment sweep finds the workspaces whose members went quiet and turns those members offline", async () => {
    const quiet = await createTenantFixture(database.db, "sweep-quiet");
    const active = await createTenantFixture(database.db, "sweep-active");
    await database.db.membership.update({ where: { id: quiet.memberships.agent.id }, data: { availability: "online", lastSeenAt: new Date(Date.now() - 10 * 60_000) } });
    await database.db.membership.update({ where: { id: active.memberships.agent.id }, data: { availability: "busy", lastSeenAt: new Date() } });
    const job = { log: createLogger("test", "silent"), requestId: "job:sweep" } as JobContext;
    await scheduledTaskList({ appDb: database.appDb, systemDb: database.db })[ASSIGNMENT_SWEEP_TASK]!(undefined, job);
    expect((await database.db.membership.findUniqueOrThrow({ where: { id: quiet.memberships.agent.id } })).availability).toBe("offline");
    expect((await database.db.membership.findUniqueOrThrow({ where: { id: active.memberships.agent.id } })).availability).toBe("busy");
    const event = await database.db.event.findFirstOrThrow({ where: { tenantId: quiet.tenant.id, type: "availability.changed" } });
    expect(event).toMatchObject({ requestId: "job:sweep", payload: { userId: quiet.users.agent.id, status: "offline", reason: "disconnected" } });
  });
});
