import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { refusal } from "@/server/test/refusal";
import { callerFor } from "@/server/test/trpc";

let database: TestDatabase;
let t: TenantFixture;
let other: TenantFixture;
const MINUTE = 60_000;
const ids: Record<string, string> = {};

type Reply = { status: "pending" | "sent" | "failed"; minutesAgo: number; error?: string; isPrivate?: boolean; discarded?: boolean; fixture?: TenantFixture };

async function reply(name: string, r: Reply) {
  const fixture = r.fixture ?? t;
  const at = new Date(Date.now() - r.minutesAgo * MINUTE);
  const created = await database.db.message.create({
    data: {
      tenantId: fixture.tenant.id,
      conversationId: fixture.rows.conversation.id,
      direction: "outbound",
      senderType: "agent",
      senderUserId: fixture.users.agent.id,
      isPrivate: r.isPrivate ?? false,
      text: `reply ${name}`,
      deliveryStatus: r.status,
      deliveryError: r.error,
      discardedAt: r.discarded ? at : null,
      createdAt: at,
      updatedAt: at,
    },
  });
  ids[name] = created.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "delivery");
  other = await createTenantFixture(database.db, "delivery-other");
  await reply("blocked", { status: "failed", minutesAgo: 50, error: "Telegram refused: Forbidden: bot was blocked by the user" });
  await reply("deadLetter", { status: "failed", minutesAgo: 40, error: "Network request for 'sendMessage' failed! after 10 attempts" });
  await reply("stuck", { status: "pending", minutesAgo: 30 });
  await reply("freshPending", { status: "pending", minutesAgo: 1 });
  await reply("sent", { status: "sent", minutesAgo: 20 });
  await reply("privateNote", { status: "failed", minutesAgo: 20, isPrivate: true, error: "never sent" });
  await reply("discarded", { status: "failed", minutesAgo: 60, error: "Telegram refused: Bad Request: chat not found", discarded: true });
  await reply("othersFailed", { status: "failed", minutesAgo: 10, error: "Telegram refused: Forbidden: bot was blocked by the user", fixture: other });
});
afterAll(async () => {
  await database.drop();
});

const admin = () => callerFor(database, t.as("admin"), { tenantSlug: "delivery" });
const listed = async (state: "failed" | "stuck" | "all" = "all") => (await admin().delivery.list({ state })).items.map((item) => item.messageId);
const deliveryJobs = (messageId: string) =>
  database.db.$queryRaw<{ key: string }[]>`SELECT key FROM graphile_worker.jobs WHERE task_identifier = 'channel.deliver' AND key = ${`deliver:${messageId}`}`;

describe("delivery.list", () => {
  it("lists failed replies with their reason, whether the queue gave up, and stuck ones; newest first; nothing delivered, private, discarded or another workspace's", async () => {
    const { items, nextCursor } = await admin().delivery.list({});
    expect(items.map((item) => item.messageId)).toEqual([ids.stuck, ids.deadLetter, ids.blocked]);
    expect(nextCursor).toBeNull();
    expect(items[1]).toMatchObject({
      state: "failed",
      reason: "Network request for 'sendMessage' failed! after 10 attempts",
      gaveUp: true,
      attempts: 10,
      conversationId: t.rows.conversation.id,
      contact: { id: t.rows.contact.id, name: t.rows.contact.name },
      channel: { id: t.rows.channel.id, name: t.rows.channel.name },
      preview: "reply deadLetter",
    });
    expect(items[2]).toMatchObject({ state: "failed", reason: "Telegram refused: Forbidden: bot was blocked by the user", gaveUp: false, attempts: null });
    expect(items[0]).toMatchObject({ state: "stuck", reason: null, gaveUp: false });
    expect(items[0]!.createdAt).toBeInstanceOf(Date);
  });

  it("filters by state and pages with a cursor", async () => {
    expect(await listed("failed")).toEqual([ids.deadLetter, ids.blocked]);
    expect(await listed("stuck")).toEqual([ids.stuck]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin().delivery.list({ limit: 1, cursor });
      seen.push(...page.items.map((item) => item.messageId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([ids.stuck, ids.deadLetter, ids.blocked]);
    await expect(admin().delivery.list({ cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // A well-formed cursor with a forged id is refused the same way, never a server error.
    const forged = Buffer.from(JSON.stringify({ at: "2024-01-01T00:00:00.000Z", id: "not-a-uuid" })).toString("base64url");
    await expect(admin().delivery.list({ cursor: forged })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses a cursor holding a date no database takes (year 0, year 275760) with BAD_REQUEST on the cursor field", async () => {
    for (const at of ["0000-01-01T00:00:00.000Z", "+275760-09-13T00:00:00.000Z", "2024-02-30T00:00:00.000Z"]) {
      const cursor = Buffer.from(JSON.stringify({ at, id: "00000000-0000-4000-8000-000000000000" })).toString("base64url");
      expect(await refusal(admin().delivery.list({ cursor })), at).toEqual({
        code: "BAD_REQUEST",
        fieldErrors: { cursor: ["this cursor is not one the list returned; start from the first page"] },
      });
    }
  });
});

describe("delivery.retry and delivery.discard", () => {
  it("retry puts a failed reply back in the queue, tells the inbox and audits it; it leaves the list", async () => {
    const retried = await admin().delivery.retry({ messageId: ids.deadLetter! });
    expect(retried).toMatchObject({ deliveryStatus: "pending", deliveryError: null });
    expect(await deliveryJobs(ids.deadLetter!)).toHaveLength(1);
    expect(await listed()).not.toContain(ids.deadLetter);
    const event = await database.db.event.findFirstOrThrow({ where: { tenantId: t.tenant.id, type: "message.updated" }, orderBy: { id: "desc" } });
    expect(event.payload).toMatchObject({ message: { id: ids.deadLetter, deliveryStatus: "pending" } });
    expect(await database.db.auditLog.findFirstOrThrow({ where: { tenantId: t.tenant.id, action: "delivery.retried" } })).toMatchObject({ actorUserId: t.users.admin.id, targetType: "message", targetId: ids.deadLetter });
  });

  it("retry also re-queues a stuck reply, but not one still making progress", async () => {
    await admin().delivery.retry({ messageId: ids.stuck! });
    expect(await deliveryJobs(ids.stuck!)).toHaveLength(1);
    expect(await listed("stuck")).toEqual([]);
    await expect(admin().delivery.retry({ messageId: ids.freshPending! })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(admin().delivery.retry({ messageId: ids.sent! })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("discard marks a failed reply discarded: it leaves the list, the inbox hears of it, and it is audited with the reason", async () => {
    const discarded = await admin().delivery.discard({ messageId: ids.blocked! });
    expect(discarded.discardedAt).toBeInstanceOf(Date);
    expect(discarded.deliveryStatus).toBe("failed");
    expect(await listed()).not.toContain(ids.blocked);
    const event = await database.db.event.findFirstOrThrow({ where: { tenantId: t.tenant.id, type: "message.updated" }, orderBy: { id: "desc" } });
    expect(event.payload).toMatchObject({ message: { id: ids.blocked, discardedAt: expect.any(String) } });
    expect(await database.db.auditLog.findFirstOrThrow({ where: { tenantId: t.tenant.id, action: "delivery.discarded" } })).toMatchObject({
      actorUserId: t.users.admin.id,
      targetId: ids.blocked,
      metadata: { reason: "Telegram refused: Forbidden: bot was blocked by the user" },
    });
    await expect(admin().delivery.discard({ messageId: ids.blocked! })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(admin().delivery.discard({ messageId: ids.freshPending! })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(admin().delivery.discard({ messageId: ids.othersFailed! })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await database.db.message.findUniqueOrThrow({ where: { id: ids.othersFailed! } })).discardedAt).toBeNull();
  });

  it("retrying a discarded reply undoes the discard", async () => {
    const retried = await admin().delivery.retry({ messageId: ids.discarded! });
    expect(retried).toMatchObject({ deliveryStatus: "pending", discardedAt: null });
  });
});

describe("who may", () => {
  it("is for admins (and API keys with the admin scope); agents and narrower keys get FORBIDDEN", async () => {
    const agent = callerFor(database, t.as("agent"), { tenantSlug: "delivery" });
    const readKey = callerFor(database, t.asKey(t.keys.read));
    for (const caller of [agent, readKey]) {
      await expect(caller.delivery.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.delivery.retry({ messageId: ids.sent! })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.delivery.discard({ messageId: ids.sent! })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    await expect(callerFor(database, t.asKey(t.keys.full)).delivery.list({})).resolves.toHaveProperty("items");
  });
});
