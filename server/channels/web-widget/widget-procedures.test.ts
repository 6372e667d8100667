import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionAnswer } from "@/lib/widget/protocol";
import { createRateLimiters, type RateLimiters } from "@/server/security/rate-limit";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, testEncryptionKey, type TenantFixture } from "@/server/test/fixtures";
import { refusal } from "@/server/test/refusal";
import { callerFor } from "@/server/test/trpc";
import { widgetBrowser, widgetDepsFor } from "@/server/test/widget";

/** An admin sets a website widget up through the API: what is accepted, what is answered once, what is kept. */
const secret = "widget-procedures-secret-".padEnd(40, "x");
let database: TestDatabase;
let t: TenantFixture;
let limiters: RateLimiters;

beforeAll(async () => {
  process.env.APP_SECRET = secret;
  process.env.ENCRYPTION_KEY = testEncryptionKey;
  process.env.PUBLIC_URL = "https://support.example.test";
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "widget-admin");
  limiters = createRateLimiters({ databaseUrl: database.url });
});
afterAll(async () => {
  await limiters.close();
  await database.drop();
});

const admin = () => callerFor(database, t.as("admin"), { tenantSlug: t.tenant.slug });
const base = { name: "Shop", allowedOrigins: ["https://shop.example"], color: "#0F766E", position: "left" as const };
const hmac = (key: string, value: string) => createHmac("sha256", key).update(value).digest("hex");

describe("channels.createWebWidget", () => {
  it("answers the snippet and the identity secret once, keeps the secret only sealed, and audits it", async () => {
    const created = await admin().channels.createWebWidget({ ...base, greeting: "Hi there", preChat: { enabled: true, fields: [{ key: "email", label: "Email", type: "email", required: true }] } });
    expect(created.publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created.snippet).toBe(`<script src="https://support.example.test/widget.js" data-channel="${created.publicId}" async></script>`);
    expect(created.identitySecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await database.db.webWidgetChannel.findUniqueOrThrow({ where: { channelId: created.id } });
    expect(row).toMatchObject({ allowedOrigins: ["https://shop.example"], color: "#0f766e", position: "left", greeting: "Hi there" });
    expect(row.secretCiphertext).not.toContain(created.identitySecret);

    const got = await callerFor(database, t.as("agent"), { tenantSlug: t.tenant.slug }).channels.get({ id: created.id });
    expect(got).toMatchObject({ id: created.id, kind: "web_widget", name: "Shop", status: "active", capabilities: { readReceipts: true, typing: true, edits: false } });
    expect(got.details).toMatchObject({ kind: "web_widget", publicId: created.publicId, snippet: created.snippet, allowedOrigins: ["https://shop.example"] });
    const listed = await admin().channels.list();
    for (const answer of [got, listed]) expect(JSON.stringify(answer)).not.toContain(created.identitySecret);
    expect(listed.find((channel) => channel.id === created.id)?.details).toMatchObject({ kind: "web_widget", snippet: created.snippet });
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { tenantId: t.tenant.id, action: "channel.created", targetId: created.id } });
    expect(JSON.stringify(audit.metadata)).not.toContain(created.identitySecret);
  });

  it.each([
    ["https://*.example.com", "wildcards"],
    ["https://shop.example/path", "no path"],
    ["https://shop.example?x=1", "no path"],
    ["http://shop.example", "https://"],
    ["ftp://shop.example", "https://"],
    ["https://user:pass@shop.example", "no path, query or credentials"],
    ["shop.example", "not a URL"],
    ["null", "not a URL"],
  ])("refuses %s as an origin, naming the field", async (origin, why) => {
    const { code, fieldErrors } = await refusal(admin().channels.createWebWidget({ ...base, allowedOrigins: ["https://fine.example", origin] }));
    expect(code).toBe("BAD_REQUEST");
    expect(Object.keys(fieldErrors)).toEqual(["allowedOrigins.1"]);
    expect(fieldErrors["allowedOrigins.1"]!.join(" ")).toContain(why);
  });

  it("takes exact origins, local http ones and a default port, and needs 1 to 20 of them", async () => {
    const created = await admin().channels.createWebWidget({ ...base, allowedOrigins: ["https://Shop.Example:443/", "http://localhost:5173", "http://127.0.0.1:8080", "https://shop.example"] });
    expect((await database.db.webWidgetChannel.findUniqueOrThrow({ where: { channelId: created.id } })).allowedOrigins).toEqual(["https://shop.example", "http://localhost:5173", "http://127.0.0.1:8080"]);
    await expect(admin().channels.createWebWidget({ ...base, allowedOrigins: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin().channels.createWebWidget({ ...base, allowedOrigins: Array.from({ length: 21 }, (_, i) => `https://s${i}.example`) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin().channels.createWebWidget({ ...base, color: "red" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin().channels.createWebWidget({ ...base, greeting: "x".repeat(501) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("is for admins: agents and keys without the admin scope are refused", async () => {
    await expect(callerFor(database, t.as("agent"), { tenantSlug: t.tenant.slug }).channels.createWebWidget(base)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(database, t.asKey(t.keys.read)).channels.createWebWidget(base)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("channels.updateWebWidget and rotateWidgetSecret", () => {
  it("changes only what is given, and a removed origin is refused from the next call on", async () => {
    const created = await admin().channels.createWebWidget({ ...base, allowedOrigins: ["https://shop.example", "https://old.example"] });
    const browser = (origin: string) => widgetBrowser(widgetDepsFor(database, { secret, limiters }), created.publicId, origin);
    expect((await browser("https://old.example").config()).status).toBe(200);
    const updated = await admin().channels.updateWebWidget({ id: created.id, allowedOrigins: ["https://shop.example"], greeting: "New hello", requireIdentity: true });
    expect(updated.details).toMatchObject({ allowedOrigins: ["https://shop.example"], greeting: "New hello", requireIdentity: true, color: "#0f766e", position: "left" });
    expect((await browser("https://old.example").config()).status).toBe(403);
    await admin().channels.updateWebWidget({ id: created.id, name: "Renamed" });
    expect((await admin().channels.get({ id: created.id })).name).toBe("Renamed");
    const audits = await database.db.auditLog.findMany({ where: { action: "channel.updated", targetId: created.id }, orderBy: { createdAt: "asc" } });
    expect(audits.map((entry) => entry.metadata)).toEqual([
      { kind: "web_widget", changed: ["allowedOrigins", "greeting", "requireIdentity"] },
      { kind: "web_widget", changed: ["name"] },
    ]);
    await expect(admin().channels.updateWebWidget({ id: t.rows.channel.id, color: "#000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("rotating the secret makes the old one stop verifying at once", async () => {
    const created = await admin().channels.createWebWidget(base);
    const browser = () => widgetBrowser(widgetDepsFor(database, { secret, limiters }), created.publicId, "https://shop.example");
    const verified = await browser().session({ identifier: "u1", identifierHash: hmac(created.identitySecret, "u1") });
    expect((verified.body as SessionAnswer).visitor).toMatchObject({ id: "user:u1", verified: true });
    const { identitySecret } = await admin().channels.rotateWidgetSecret({ id: created.id });
    expect(identitySecret).not.toBe(created.identitySecret);
    expect((await browser().session({ identifier: "u1", identifierHash: hmac(created.identitySecret, "u1") })).status).toBe(401);
    expect((await browser().session({ identifier: "u1", identifierHash: hmac(identitySecret, "u1") })).status).toBe(200);
    expect(await database.db.auditLog.count({ where: { action: "channel.secret_rotated", targetId: created.id } })).toBe(1);
    await expect(admin().channels.rotateWidgetSecret({ id: t.rows.channel.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
