import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/server/security/password";
import { open } from "@/server/security/secret-box";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { DEMO_OWNER_EMAIL, DEMO_WIDGET_NAME, seedDemo } from "./seed";

let database: TestDatabase;
const options = { ownerPassword: "demo-password-123", encryptionKey: "1f".repeat(32), demoSitePort: 3004 };
// Widget secrets are sealed with the process's key (as `npm start` sets it from its config), bot tokens with the one given.
process.env.ENCRYPTION_KEY = options.encryptionKey;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

async function counts() {
  const { db } = database;
  return {
    tenants: await db.tenant.count(),
    users: await db.user.count(),
    memberships: await db.membership.count(),
    channels: await db.channel.count(),
    contacts: await db.contact.count(),
    conversations: await db.conversation.count(),
    messages: await db.message.count(),
    events: await db.event.count(),
  };
}

describe("demo seed", () => {
  it("creates a workspace with an owner who can sign in, a Telegram channel and a sample conversation", async () => {
    const result = await seedDemo(database.db, options);
    expect(result.created).toBe(true);
    expect(await counts()).toEqual({
      tenants: 1, users: 1, memberships: 1, channels: 2, contacts: 1, conversations: 1, messages: 2, events: 1,
    });
    const owner = await database.db.user.findUniqueOrThrow({ where: { email: DEMO_OWNER_EMAIL }, include: { memberships: true } });
    expect(owner.memberships[0]?.role).toBe("owner");
    expect(await verifyPassword(owner.passwordHash!, options.ownerPassword)).toBe(true);
    const channel = await database.db.telegramChannel.findFirstOrThrow();
    expect(channel.tokenCiphertext).not.toContain("demo-emulator-token");
    expect(open({ ciphertext: channel.tokenCiphertext, keyId: channel.tokenKeyId }, [options.encryptionKey])).toMatch(/^\d+:/);
    const conversation = await database.db.conversation.findFirstOrThrow({ include: { messages: true } });
    expect(conversation).toMatchObject({ status: "open", unreadCount: 2, lastMessagePreview: "Order #1042, the blue one." });
  });

  it("gives the workspace a website widget for the sample shop page's origins, its secret sealed", async () => {
    const { widget } = await seedDemo(database.db, options);
    const channel = await database.db.channel.findFirstOrThrow({ where: { type: "web_widget" }, include: { webWidget: true } });
    expect(channel).toMatchObject({ name: DEMO_WIDGET_NAME, status: "active" });
    expect(channel.webWidget).toMatchObject({
      publicId: widget.publicId,
      allowedOrigins: ["http://127.0.0.1:3004", "http://localhost:3004"],
      position: "right",
      color: expect.stringMatching(/^#[0-9a-f]{6}$/),
      greeting: expect.stringMatching(/\S/),
    });
    expect(widget.publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const sealed = { ciphertext: channel.webWidget!.secretCiphertext, keyId: channel.webWidget!.secretKeyId };
    expect(open(sealed, [options.encryptionKey])).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sealed.ciphertext).not.toContain(open(sealed, [options.encryptionKey]));
  });

  it("seeds nothing twice, also when several starts race", async () => {
    const before = await counts();
    const results = await Promise.all([seedDemo(database.db, options), seedDemo(database.db, options), seedDemo(database.db, options)]);
    expect(results.map((r) => r.created)).toEqual([false, false, false]);
    expect(new Set(results.map((r) => r.widget.publicId)).size).toBe(1);
    expect(await counts()).toEqual(before);
  });

  it("allows the sample shop's new origins when DEMO_SITE_PORT changes, keeping the ones there were", async () => {
    const { widget } = await seedDemo(database.db, { ...options, demoSitePort: 3999 });
    const row = await database.db.webWidgetChannel.findUniqueOrThrow({ where: { publicId: widget.publicId } });
    expect(row.allowedOrigins).toEqual(["http://127.0.0.1:3004", "http://localhost:3004", "http://127.0.0.1:3999", "http://localhost:3999"]);
    expect(await database.db.webWidgetChannel.count()).toBe(1);
  });

  it("adds the widget to a demo workspace seeded before it had one, once", async () => {
    await database.db.channel.deleteMany({ where: { type: "web_widget" } });
    const results = await Promise.all([seedDemo(database.db, options), seedDemo(database.db, options)]);
    expect(results.map((r) => r.created)).toEqual([false, false]);
    expect(new Set(results.map((r) => r.widget.publicId)).size).toBe(1);
    expect(await database.db.channel.count({ where: { type: "web_widget", name: DEMO_WIDGET_NAME } })).toBe(1);
  });
});

describe("demo seed on an empty database, started concurrently", () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createTestDatabase();
  });
  afterAll(async () => {
    await fresh.drop();
  });

  it("creates exactly one workspace", async () => {
    const results = await Promise.all([seedDemo(fresh.db, options), seedDemo(fresh.db, options)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.tenantId)).size).toBe(1);
    expect(await fresh.db.tenant.count()).toBe(1);
    expect(await fresh.db.conversation.count()).toBe(1);
    expect(await fresh.db.webWidgetChannel.count()).toBe(1);
  });
});
