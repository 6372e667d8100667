import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "@/server/security/password";
import { open } from "@/server/security/secret-box";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { DEMO_OWNER_EMAIL, seedDemo } from "./seed";

let database: TestDatabase;
const options = { ownerPassword: "demo-password-123", encryptionKey: "1f".repeat(32) };

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
  it("creates a workspace with an owner who can sign in, a channel and a sample conversation", async () => {
    const result = await seedDemo(database.db, options);
    expect(result.created).toBe(true);
    expect(await counts()).toEqual({
      tenants: 1, users: 1, memberships: 1, channels: 1, contacts: 1, conversations: 1, messages: 2, events: 1,
    });
    const owner = await database.db.user.findUniqueOrThrow({ where: { email: DEMO_OWNER_EMAIL }, include: { memberships: true } });
    expect(owner.memberships[0]?.role).toBe("owner");
    expect(await verifyPassword(owner.passwordHash!, options.ownerPassword)).toBe(true);
    const channel = await database.db.channel.findFirstOrThrow();
    expect(channel.tokenCiphertext).not.toContain("demo-emulator-token");
    expect(open({ ciphertext: channel.tokenCiphertext, keyId: channel.tokenKeyId }, [options.encryptionKey])).toMatch(/^\d+:/);
    const conversation = await database.db.conversation.findFirstOrThrow({ include: { messages: true } });
    expect(conversation).toMatchObject({ status: "open", unreadCount: 2, lastMessagePreview: "Order #1042, the blue one." });
  });

  it("seeds nothing twice, also when several starts race", async () => {
    const before = await counts();
    const results = await Promise.all([seedDemo(database.db, options), seedDemo(database.db, options), seedDemo(database.db, options)]);
    expect(results.map((r) => r.created)).toEqual([false, false, false]);
    expect(await counts()).toEqual(before);
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
  });
});
