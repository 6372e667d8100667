import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppDb } from "@/server/db/client";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { freePort } from "@/server/test/free-port";
import { callerFor } from "@/server/test/trpc";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe("health.check procedure", () => {
  it("reports the database up with its latency", async () => {
    const result = await callerFor(database, null).health.check();
    expect(result.status).toBe("ok");
    expect(result.database).toMatchObject({ ok: true });
    expect(result.time).toBeInstanceOf(Date);
  });

  it("reports the database unavailable, with the reason, when it cannot be reached", async () => {
    const unreachable = createAppDb(`postgres://nobody:x@127.0.0.1:${await freePort()}/none`);
    try {
      const result = await callerFor({ ...database, appDb: unreachable }, null).health.check();
      expect(result.status).toBe("unavailable");
      expect(result.database.ok).toBe(false);
    } finally {
      await unreachable.$disconnect();
    }
  });
});
