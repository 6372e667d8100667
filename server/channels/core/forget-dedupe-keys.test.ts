import type { JobHelpers } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { FORGET_DEDUPE_KEYS_TASK, scheduledTaskList } from "@/server/worker/scheduled-tasks";
import { DEDUPE_KEY_DAYS, forgetDedupeKeys } from "./forget-dedupe-keys";

let database: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  a = await createTenantFixture(database.db, "dedupe-a");
  b = await createTenantFixture(database.db, "dedupe-b");
});
afterAll(() => database.drop());

const DAY_MS = 86_400_000;
const keysOf = async (channelId: string) =>
  (await database.db.processedUpdate.findMany({ where: { channelId }, orderBy: { key: "asc" } })).map((row) => row.key);

describe("forgetting intake's dedupe keys", () => {
  it("deletes every workspace's keys older than the window, in batches, and keeps the recent ones", async () => {
    const now = new Date();
    const at = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const rows = [a, b].flatMap((t) => [
      // More old keys than one batch deletes, so the loop is what empties them.
      ...Array.from({ length: 5_001 }, (_, n) => ({ channelId: t.rows.widgetChannel.id, tenantId: t.tenant.id, key: `old-${String(n).padStart(5, "0")}`, processedAt: at(DEDUPE_KEY_DAYS + 1) })),
      { channelId: t.rows.widgetChannel.id, tenantId: t.tenant.id, key: "recent", processedAt: at(DEDUPE_KEY_DAYS - 1) },
      { channelId: t.rows.channel.id, tenantId: t.tenant.id, key: "today", processedAt: now },
    ]);
    await database.db.processedUpdate.createMany({ data: rows });

    expect(await forgetDedupeKeys(database.db, now)).toBe(10_002);
    for (const t of [a, b]) {
      expect(await keysOf(t.rows.widgetChannel.id)).toEqual(["recent"]);
      expect(await keysOf(t.rows.channel.id)).toContain("today");
    }
    expect(await forgetDedupeKeys(database.db, now)).toBe(0);
  });

  it("runs as the worker's hourly job", async () => {
    await database.db.processedUpdate.create({ data: { channelId: a.rows.widgetChannel.id, tenantId: a.tenant.id, key: "ancient", processedAt: new Date(Date.now() - 30 * DAY_MS) } });
    const log = createLogger("test", "silent");
    await scheduledTaskList({ appDb: database.appDb, systemDb: database.db })[FORGET_DEDUPE_KEYS_TASK]!({}, { helpers: {} as JobHelpers, requestId: "job:1", log });
    expect(await keysOf(a.rows.widgetChannel.id)).not.toContain("ancient");
  });
});
