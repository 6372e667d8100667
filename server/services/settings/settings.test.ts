import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/server/db/tenant-scope";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { refusal } from "@/server/test/refusal";
import { callerFor } from "@/server/test/trpc";
import { appEnv, getSettings, updateSettings } from "./settings";

let database: TestDatabase;
let t: TenantFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "settings");
});
afterAll(async () => {
  await database.drop();
});

const admin = () => callerFor(database, t.as("admin"), { tenantSlug: "settings" });

describe("settings", () => {
  it("layers built-in defaults, the environment's (config/settings.json) and the workspace's, saying where each value comes from", async () => {
    const inEnv = (env: "development" | "staging" | "production") => withTenant(database.appDb, t.tenant.id, (db) => getSettings(db, { tenantId: t.tenant.id, env }));
    const production = await inEnv("production");
    expect(production.values.retention).toEqual({ days: null });
    expect(production.sources).toMatchObject({ retention: "environment", timeZone: "built-in", conversationRules: "built-in", name: "workspace" });
    expect(production.values.name).toBe(t.tenant.name);
    expect((await inEnv("staging")).values.retention).toEqual({ days: 90 });
    expect((await inEnv("development")).values.retention).toEqual({ days: 30 });
    await withTenant(database.appDb, t.tenant.id, (db) => updateSettings(db, { tenantId: t.tenant.id, changes: { retention: { days: 7 } }, actor: { userId: t.users.admin.id }, env: "staging" }));
    const overridden = await inEnv("staging");
    expect(overridden.values.retention).toEqual({ days: 7 });
    expect(overridden.sources.retention).toBe("workspace");
  });

  it("takes APP_ENV, else production when NODE_ENV is production, else development", () => {
    expect(appEnv({ APP_ENV: "staging", NODE_ENV: "production" })).toBe("staging");
    expect(appEnv({ NODE_ENV: "production" })).toBe("production");
    expect(appEnv({})).toBe("development");
    expect(appEnv({ APP_ENV: "qa" })).toBe("development");
  });

  it("updates through the API: validated per field, versioned with who and what before, audited; null returns to the default", async () => {
    const before = await admin().settings.get();
    const updated = await admin().settings.update({ changes: { timeZone: "Europe/Berlin", name: "Settings Co", conversationRules: { afterResolved: "new", autoResolveAfterDays: 14 } }, expectedVersion: before.version });
    expect(updated.values).toMatchObject({ timeZone: "Europe/Berlin", name: "Settings Co", conversationRules: { afterResolved: "new", autoResolveAfterDays: 14 } });
    expect(updated.version).toBe(before.version + 1);
    expect((await database.db.tenant.findUniqueOrThrow({ where: { id: t.tenant.id } })).name).toBe("Settings Co");
    const history = await admin().settings.history({ limit: 10 });
    const latest = history.filter((row) => row.version === updated.version);
    expect(latest.map((row) => row.key).sort()).toEqual(["conversationRules", "name", "timeZone"]);
    expect(latest.find((row) => row.key === "timeZone")).toMatchObject({ previous: "UTC", next: "Europe/Berlin", changedById: t.users.admin.id });
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { tenantId: t.tenant.id, action: "settings.updated" }, orderBy: { createdAt: "desc" } });
    expect(audit.metadata).toMatchObject({ version: updated.version });
    // The conversation rule is the one intake reads.
    expect((await database.db.tenantSettings.findUniqueOrThrow({ where: { tenantId: t.tenant.id } })).values).toMatchObject({ conversationRules: { afterResolved: "new" } });

    const reset = await admin().settings.update({ changes: { timeZone: null } });
    expect(reset.values.timeZone).toBe("UTC");
    expect(reset.sources.timeZone).toBe("built-in");
  });

  it("refuses invalid values with the field named, and a stale version with CONFLICT", async () => {
    const attempt = admin().settings.update({ changes: { timeZone: "Mars/Olympus", businessHours: { enabled: true, days: { mon: [{ from: "18:00", to: "09:00" }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } } } });
    await expect(attempt).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // The API's error carries them as data.fieldErrors (server/api/trpc.ts); the caller sees the service's details.
    const error = (await attempt.catch((e: unknown) => e)) as { cause?: { details?: { fieldErrors?: Record<string, string[]> } } };
    const fieldErrors = error.cause?.details?.fieldErrors;
    expect(Object.keys(fieldErrors ?? {}).sort()).toEqual(["businessHours", "timeZone"]);
    expect(fieldErrors!.businessHours![0]).toMatch(/end must be after the start/);
    await expect(admin().settings.update({ changes: { name: null } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin().settings.update({ changes: { colour: "red" } as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin().settings.update({ changes: { timeZone: "Asia/Tokyo" }, expectedVersion: 0 })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses an oversized workspace name, as long as any client can make it, with the name field named", async () => {
    const before = await database.db.tenant.findUniqueOrThrow({ where: { id: t.tenant.id } });
    for (const name of ["x".repeat(81), "x".repeat(1_000_001), "🙂".repeat(81)]) {
      expect(await refusal(admin().settings.update({ changes: { name } }))).toEqual({ code: "BAD_REQUEST", fieldErrors: { name: ["at most 80 characters"] } });
    }
    expect(await database.db.tenant.findUniqueOrThrow({ where: { id: t.tenant.id } })).toEqual(before);
  });

  it("is for admins only", async () => {
    const agent = callerFor(database, t.as("agent"), { tenantSlug: "settings" });
    await expect(agent.settings.get()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(agent.settings.update({ changes: { timeZone: "UTC" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(agent.settings.history({ limit: 5 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
