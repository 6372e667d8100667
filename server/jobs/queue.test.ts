import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/server/db/migrate";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { installJobQueue } from "./queue";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrated: false });
  await migrate(database.url);
});
afterAll(async () => {
  await database.drop();
});

describe("job queue installation", () => {
  it("survives every process installing it at the same moment", async () => {
    for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 6 }, () => installJobQueue(database.url)));
    const [fn] = await database.db.$queryRaw<{ secdef: boolean }[]>`SELECT prosecdef AS secdef FROM pg_proc WHERE proname = 'app_add_job'`;
    expect(fn).toEqual({ secdef: true });
  });
});
