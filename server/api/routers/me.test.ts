import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { callerFor } from "@/server/test/trpc";

let database: TestDatabase;
let t: TenantFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "speakers");
});
afterAll(async () => {
  await database.drop();
});

describe("me.setLocale", () => {
  it("keeps the console language on the user's account, for every workspace and device", async () => {
    await callerFor(database, t.as("agent")).me.setLocale({ locale: "ru" });
    expect((await database.db.user.findUniqueOrThrow({ where: { id: t.users.agent.id } })).locale).toBe("ru");
    const me = await callerFor(database, t.as("agent")).me.get();
    expect(me.kind === "user" && me.user.locale).toBe("ru");
    // Nobody else's changes.
    expect((await database.db.user.findUniqueOrThrow({ where: { id: t.users.owner.id } })).locale).toBe("en");
  });

  it("accepts only the languages the console has, and has nothing to set for an API key", async () => {
    await expect(callerFor(database, t.as("owner")).me.setLocale({ locale: "de" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(database, t.asKey(t.keys.full)).me.setLocale({ locale: "ru" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
