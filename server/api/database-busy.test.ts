import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { AppError, isDatabaseBusy } from "@/server/errors";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { callerFor } from "@/server/test/trpc";

let database: TestDatabase;
let t: TenantFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "busy");
});
afterAll(() => database.drop());

describe("a database too busy to answer", () => {
  it("is a 503 with when to try again, not a 500, when no connection comes in time", { timeout: 20_000 }, async () => {
    // A pool of one, held by a long transaction: the call waits its 5 s for a connection and gives up (Prisma P2028).
    const appDb = createAppDb(database.url, { max: 1 });
    let release!: () => void;
    const held = withTenant(appDb, t.tenant.id, () => new Promise<void>((resolve) => (release = resolve)));
    try {
      const caller = callerFor({ ...database, appDb }, t.as("agent"), { tenantSlug: "busy" });
      const refused = await caller.conversations.list({}).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: "the service is busy right now; try again in a few seconds" });
      const cause = (refused as { cause?: unknown }).cause;
      expect(cause).toBeInstanceOf(AppError);
      expect((cause as AppError).details).toEqual({ retryAfterSeconds: 2 });
    } finally {
      release();
      await held;
      await appDb.$disconnect();
    }
  });

  it("counts PostgreSQL at its connection limit as busy: Prisma's P2037, as a web process got it from a server with too many clients", () => {
    // The error as the product logged it (three web processes and two workers on max_connections 100).
    const tooManyClients = Object.assign(new Error("Too many database connections opened: sorry, too many clients already"), { code: "P2037" });
    expect(isDatabaseBusy(tooManyClients)).toBe(true);
    expect(isDatabaseBusy(Object.assign(new Error("Unique constraint failed"), { code: "P2002" }))).toBe(false);
  });
});
