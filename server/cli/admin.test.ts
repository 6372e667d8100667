import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "@/server/services/api-keys/create-api-key";
import { verifyPassword } from "@/server/security/password";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture } from "@/server/test/fixtures";
import { runScript } from "@/server/test/run-script";

let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), "sc-admin-"));
});
afterAll(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const admin = (args: string[], stdin?: string) =>
  runScript("server/cli/admin.ts", args, { env: { DATABASE_URL: database.url, DATA_DIR: dataDir }, stdin });

function json(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

describe("npm run admin", () => {
  it("lists its commands with --help, and each command has its own --help", async () => {
    const top = await admin(["--help"]);
    expect(top.code).toBe(0);
    for (const command of ["tenant:create", "user:create", "apikey:create"]) expect(top.stdout).toContain(command);
    const sub = await admin(["apikey:create", "--help"]);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain("--scopes <list>");
  });

  it("tenant:create makes a tenant and prints one JSON object with its ids", async () => {
    const result = await admin(["tenant:create", "--name", "Acme Support, Inc.", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const out = json(result.stdout);
    expect(out).toEqual({ tenantId: expect.any(String), slug: "acme-support-inc" });
    const tenant = await database.db.tenant.findUniqueOrThrow({ where: { id: out.tenantId as string }, include: { settings: true } });
    expect(tenant.name).toBe("Acme Support, Inc.");
    expect(tenant.settings).not.toBeNull();
  });

  it("tenant:create refuses a slug that is taken, with one clear line and exit code 1", async () => {
    await admin(["tenant:create", "--name", "Taken", "--slug", "taken"]);
    const again = await admin(["tenant:create", "--name", "Other", "--slug", "taken"]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('admin: a tenant with the slug "taken" already exists');
    expect(again.stdout).toBe("");
  });

  it("rejects bad input before touching the database", async () => {
    const badSlug = await admin(["tenant:create", "--name", "X", "--slug", "Bad Slug!"]);
    expect(badSlug.code).toBe(1);
    expect(badSlug.stderr).toContain("--slug may contain lowercase letters, digits and single dashes only");
    const missing = await admin(["user:create", "--tenant", "taken"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--email <email>' not specified");
    const badEmail = await admin(["user:create", "--tenant", "taken", "--email", "not-an-email"]);
    expect(badEmail.stderr).toContain("--email must be an email address");
    const badRole = await admin(["user:create", "--tenant", "taken", "--email", "a@b.example", "--role", "god"]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain("Allowed choices are owner, admin, agent");
  });

  it("user:create makes a member with a generated password shown once, which verifies against the stored hash", async () => {
    await admin(["tenant:create", "--name", "Users", "--slug", "users"]);
    const result = await admin(["user:create", "--tenant", "users", "--email", "Agent@Example.COM", "--role", "admin", "--json"]);
    expect(result.code).toBe(0);
    const out = json(result.stdout);
    expect(out).toMatchObject({ createdUser: true, password: expect.any(String) });
    const user = await database.db.user.findUniqueOrThrow({ where: { email: "agent@example.com" }, include: { memberships: true } });
    expect(user.id).toBe(out.userId);
    expect(user.name).toBe("agent");
    expect(user.memberships).toEqual([expect.objectContaining({ id: out.membershipId, tenantId: out.tenantId, role: "admin" })]);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash!, out.password as string)).toBe(true);
  });

  it("user:create reads a password from stdin, and adds an existing user to another tenant without changing it", async () => {
    await admin(["tenant:create", "--name", "Second", "--slug", "second"]);
    const created = await admin(["user:create", "--tenant", "users", "--email", "pat@example.com", "--password-stdin", "--json"], "correct horse battery\n");
    expect(json(created.stdout)).not.toHaveProperty("password");
    const again = await admin(["user:create", "--tenant", "second", "--email", "pat@example.com", "--role", "owner", "--json"]);
    expect(json(again.stdout)).toMatchObject({ createdUser: false });
    const user = await database.db.user.findUniqueOrThrow({ where: { email: "pat@example.com" }, include: { memberships: true } });
    expect(user.memberships).toHaveLength(2);
    expect(await verifyPassword(user.passwordHash!, "correct horse battery")).toBe(true);

    const duplicate = await admin(["user:create", "--tenant", "second", "--email", "pat@example.com"]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain("pat@example.com is already a member of this tenant");
  });

  it("user:create refuses a short password and an unknown tenant", async () => {
    const short = await admin(["user:create", "--tenant", "users", "--email", "s@example.com", "--password", "short"]);
    expect(short.code).toBe(1);
    expect(short.stderr.trim()).toBe("admin: password must be at least 10 characters");
    const unknown = await admin(["user:create", "--tenant", "nope", "--email", "s@example.com"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('admin: no tenant with the slug "nope"');
  });

  it("apikey:create prints the key once and stores only its hash", async () => {
    const result = await admin(["apikey:create", "--tenant", "users", "--name", "Zapier", "--scopes", "conversations:read,contacts:read", "--json"]);
    expect(result.code).toBe(0);
    const out = json(result.stdout);
    expect(out.key).toMatch(/^sck_[\w-]{8}_[\w-]{43}$/);
    expect((out.key as string).startsWith(out.prefix as string)).toBe(true);
    const stored = await database.db.apiKey.findUniqueOrThrow({ where: { id: out.apiKeyId as string } });
    expect(stored.scopes).toEqual(["conversations:read", "contacts:read"]);
    expect(stored.keyHash).toBe(hashApiKey(out.key as string));
    const secretPart = (out.key as string).slice((out.prefix as string).length + 1);
    expect(JSON.stringify(stored)).not.toContain(secretPart);
  });

  it("apikey:create rejects unknown scopes", async () => {
    const result = await admin(["apikey:create", "--tenant", "users", "--name", "x", "--scopes", "everything"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("scopes must be a comma-separated list of: conversations:read, conversations:write, messages:write, contacts:read, notes:read, admin");
  });

  it("prints human-readable output without --json", async () => {
    const result = await admin(["apikey:create", "--tenant", "users", "--name", "CI"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Created API key "CI" for users \(scopes: conversations:read, conversations:write, messages:write, contacts:read\)\nKey \(shown once, store it now\): sck_/);
  });

  it("reports:rebuild recomputes a tenant's report facts from its event log, says how far it got, and audits it", async () => {
    const t = await createTenantFixture(database.db, "rebuild");
    await database.db.reportFact.deleteMany({ where: { tenantId: t.tenant.id } });
    const conversationId = t.rows.conversation.id;
    const at = (minute: number) => new Date(Date.parse("2026-05-04T10:00:00Z") + minute * 60_000);
    const message = (minute: number, fields: object) => ({ message: { isPrivate: false, senderUserId: null, createdAt: at(minute).toISOString(), ...fields } });
    await database.db.event.createMany({
      data: [
        { type: "conversation.created", payload: { conversation: { id: conversationId, channelId: t.rows.channel.id, labels: [], status: "open" } }, createdAt: at(0) },
        { type: "message.created", payload: message(1, { direction: "inbound", senderType: "contact" }), createdAt: at(1) },
        { type: "message.created", payload: message(6, { direction: "outbound", senderType: "agent", senderUserId: t.users.agent.id }), createdAt: at(6) },
      ].map((event) => ({ ...event, tenantId: t.tenant.id, conversationId })),
    });

    const human = await admin(["reports:rebuild", "--tenant", "rebuild"]);
    expect(human.code).toBe(0);
    expect(human.stderr).toMatch(/^read \d+ events$/m);
    expect(human.stdout).toMatch(/^Rebuilt the reports of rebuild in \d+\.\d s: 4 events, 1 conversation, 4 facts\n$/);
    const out = json((await admin(["reports:rebuild", "--tenant", "rebuild", "--json"])).stdout);
    expect(out).toMatchObject({ tenantId: t.tenant.id, events: 4, conversations: 1, facts: 4 });
    const first = await database.db.reportFact.findFirstOrThrow({ where: { tenantId: t.tenant.id, kind: "first_response" } });
    expect(first).toMatchObject({ conversationId, agentId: t.users.agent.id, millis: 300_000n, businessMillis: 300_000n });
    expect(await database.db.auditLog.count({ where: { tenantId: t.tenant.id, action: "reports.rebuilt" } })).toBe(2);

    const unknown = await admin(["reports:rebuild", "--tenant", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('admin: no tenant with the slug "nope"');
  });
});
