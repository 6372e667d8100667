import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createSendLimits } from "@/server/channels/core/send-limits";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { startDeliveryRunner } from "./delivery-runner";
import { AUTO_RESOLVE_TASK, FORGET_DEDUPE_KEYS_TASK, RETENTION_PURGE_TASK } from "./scheduled-tasks";

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
      while ((await knownCrontabs()).length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await knownCrontabs()).toEqual([AUTO_RESOLVE_TASK, FORGET_DEDUPE_KEYS_TASK, RETENTION_PURGE_TASK].sort());
    } finally {
      await worker.stop();
    }
  });
});
