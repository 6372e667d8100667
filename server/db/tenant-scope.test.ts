import { readFileSync } from "node:fs";
import path from "node:path";
import prismaInternals from "@prisma/internals";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "@/server/config/data-dir";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { createUnscopedAppDb } from "./client";
import { MissingTenantError, tenantOwnedModels, withTenant } from "./tenant-scope";

let database: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;
let unscoped: ReturnType<typeof createUnscopedAppDb>;

beforeAll(async () => {
  database = await createTestDatabase();
  a = await createTenantFixture(database.db, "tenant-a");
  b = await createTenantFixture(database.db, "tenant-b");
  await database.db.eventFollower.create({ data: { name: "notifier", position: { lastId: "1", running: [], runningFrom: null } } });
  unscoped = createUnscopedAppDb(database.url);
});
afterAll(async () => {
  await unscoped.$disconnect();
  await database.drop();
});

type Delegate = { findMany: (args?: object) => Promise<{ tenantId: string | null }[]> };
const delegateName = (model: string) => model[0]!.toLowerCase() + model.slice(1);

describe("the list of tenant-owned models", () => {
  it("names exactly the models that have a tenantId, each with row-level security and a policy; the other secured tables are the user-owned ones hidden from the app role", async () => {
    const { getDMMF } = prismaInternals as unknown as { getDMMF: (o: { datamodel: string }) => Promise<{ datamodel: { models: { name: string; dbName: string | null; fields: { name: string }[] }[] } }> };
    const dmmf = await getDMMF({ datamodel: readFileSync(path.join(projectRoot, "prisma/schema.prisma"), "utf8") });
    const withTenantId = dmmf.datamodel.models.filter((model) => model.fields.some((field) => field.name === "tenantId") && model.name !== "Tenant");
    expect([...tenantOwnedModels].sort()).toEqual(withTenantId.map((model) => model.name).sort());

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const rls = await client.query<{ table: string; enabled: boolean; policies: number }>(`
      SELECT c.relname AS "table", c.relrowsecurity AS enabled, (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`);
    await client.end();
    const secured = rls.rows.filter((row) => row.enabled && row.policies > 0).map((row) => row.table).sort();
    expect(secured).toEqual(withTenantId.map((model) => model.dbName ?? model.name).sort());
    // The other kind of protected table: row-level security and no policy at all, so the app role has no row of it.
    const hidden = rls.rows.filter((row) => row.enabled && row.policies === 0).map((row) => row.table).sort();
    expect(hidden).toEqual([...hiddenFromAppRole].sort());
    const hiddenModels = dmmf.datamodel.models.filter((model) => hiddenFromAppRole.includes(model.dbName ?? model.name));
    expect(hiddenModels.map((model) => model.name).sort()).toEqual([...hiddenFromAppRole].sort());
    const withoutOwner = hiddenModels.filter((model) => !model.fields.some((field) => field.name === "userId")).map((model) => model.name);
    expect(withoutOwner).toEqual(systemOwned);
  });
});

/**
 * Tables that belong to a user rather than a tenant (a user spans workspaces) and are read
 * only through the owner's client: row-level security with no policy, so the app role —
 * which every request's tenant-scoped queries run as — can neither read nor write a row.
 */
const hiddenFromAppRole = ["Session", "EventFollower"];
/** Of those, the product's own bookkeeping across every workspace (a follower's place in the event log): no user's either. */
const systemOwned = ["EventFollower"];

describe("user-owned tables hidden from the app role", () => {
  const delegate = (client: unknown, model: string) => (client as Record<string, Delegate & { count: () => Promise<number> }>)[delegateName(model)]!;

  it.each(hiddenFromAppRole)("%s: the app role reads none of its rows, in a tenant's transaction or outside one", async (model) => {
    expect(await delegate(database.db, model).count()).toBeGreaterThan(0);
    expect(await delegate(unscoped, model).findMany()).toEqual([]);
    expect(await withTenant(unscoped, a.tenant.id, (tx) => delegate(tx, model).findMany())).toEqual([]);
    expect(await withTenant(database.appDb, a.tenant.id, (tx) => delegate(tx, model).findMany())).toEqual([]);
  });

  it("Session: the app role can neither start, end nor delete a session", async () => {
    const before = await database.db.session.findMany({ orderBy: { id: "asc" } });
    await expect(unscoped.session.create({ data: { userId: a.users.owner.id, expiresAt: new Date(Date.now() + 3_600_000) } })).rejects.toThrow(/row-level security/);
    expect((await unscoped.session.updateMany({ where: { userId: a.users.owner.id }, data: { revokedAt: new Date() } })).count).toBe(0);
    expect((await unscoped.session.deleteMany({ where: {} })).count).toBe(0);
    expect(await database.db.session.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});

describe("row-level security alone (application scoping switched off)", () => {
  it.each([...tenantOwnedModels])("%s: tenant B's transaction sees none of tenant A's rows", async (model) => {
    const rows = await withTenant(unscoped, b.tenant.id, (tx) => (tx as unknown as Record<string, Delegate>)[delegateName(model)]!.findMany());
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.tenantId === b.tenant.id)).toBe(true);
  });

  it.each([...tenantOwnedModels])("%s: a query that forgets the tenant returns nothing rather than everything", async (model) => {
    const rows = await (unscoped as unknown as Record<string, Delegate>)[delegateName(model)]!.findMany();
    expect(rows).toEqual([]);
  });

  it("refuses to write a row into another tenant, and cannot change or delete another tenant's rows", async () => {
    await expect(
      withTenant(unscoped, b.tenant.id, (tx) => tx.contact.create({ data: { tenantId: a.tenant.id, name: "smuggled" } })),
    ).rejects.toThrow(/row-level security/);
    const updated = await withTenant(unscoped, b.tenant.id, (tx) => tx.message.updateMany({ where: { id: a.rows.message.id }, data: { text: "pwned" } }));
    expect(updated.count).toBe(0);
    const deleted = await withTenant(unscoped, b.tenant.id, (tx) => tx.conversation.deleteMany({ where: { id: a.rows.conversation.id } }));
    expect(deleted.count).toBe(0);
    expect((await database.db.message.findUniqueOrThrow({ where: { id: a.rows.message.id } })).text).toBe("secret of tenant-a");
  });

  it("runs as a role that cannot bypass row-level security", async () => {
    const [role] = await unscoped.$queryRaw<{ current_user: string; rolsuper: boolean; rolbypassrls: boolean }[]>`
      SELECT current_user, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user`;
    expect(role).toEqual({ current_user: "supportchat_app", rolsuper: false, rolbypassrls: false });
  });
});

describe("the scoped app client", () => {
  it("adds the tenant to reads, so another tenant's id finds nothing", async () => {
    const found = await withTenant(database.appDb, b.tenant.id, (tx) => tx.message.findUnique({ where: { id: a.rows.message.id } }));
    expect(found).toBeNull();
    const own = await withTenant(database.appDb, b.tenant.id, (tx) => tx.message.findMany());
    expect(own.map((message) => message.id)).toEqual([b.rows.message.id]);
  });

  it("stamps the tenant on creates, whatever the caller passed", async () => {
    const contact = await withTenant(database.appDb, b.tenant.id, (tx) =>
      tx.contact.create({ data: { tenantId: a.tenant.id, name: "stamped" } }),
    );
    expect(contact.tenantId).toBe(b.tenant.id);
  });

  it("refuses a tenant-owned query outside a tenant scope instead of guessing", async () => {
    await expect(database.appDb.contact.findMany()).rejects.toBeInstanceOf(MissingTenantError);
  });

  it("leaves tables that are not tenant data alone", async () => {
    expect(await database.appDb.tenant.count()).toBeGreaterThanOrEqual(2);
  });
});
