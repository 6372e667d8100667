import type { JobHelpers } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { AUTO_RESOLVE_TASK, scheduledTaskList } from "@/server/worker/scheduled-tasks";
import { autoResolveIdleConversations } from "./auto-resolve";

let database: TestDatabase;
let t: TenantFixture;
let other: TenantFixture;
const log = createLogger("test", "silent");
const DAY = 86_400_000;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "idle");
  other = await createTenantFixture(database.db, "idle-other");
});
afterAll(async () => {
  await database.drop();
});

async function setRule(fixture: TenantFixture, autoResolveAfterDays: number | null) {
  await database.db.tenantSettings.update({ where: { tenantId: fixture.tenant.id }, data: { values: { conversationRules: { afterResolved: "reopen", autoResolveAfterDays } } } });
}

/** A conversation whose last message was `daysAgo` days ago (none at all when null: then it started that long ago). */
async function conversation(fixture: TenantFixture, name: string, status: "open" | "pending" | "snoozed" | "resolved", daysAgo: number, withMessage = true) {
  const at = new Date(Date.now() - daysAgo * DAY);
  const created = await database.db.conversation.create({
    data: {
      tenantId: fixture.tenant.id,
      channelId: fixture.rows.channel.id,
      contactId: fixture.rows.contact.id,
      externalChatId: name,
      status,
      lastMessageAt: withMessage ? at : null,
      createdAt: at,
      snoozedUntil: status === "snoozed" ? new Date(Date.now() + DAY) : null,
    },
  });
  return created.id;
}

describe("auto-resolve", () => {
  it("resolves exactly the open and pending conversations idle for longer than the workspace's rule, with a status_changed event each", async () => {
    await setRule(t, 3);
    const ids = {
      idleOpen: await conversation(t, "idle-open", "open", 3.1),
      idlePending: await conversation(t, "idle-pending", "pending", 10),
      quietStart: await conversation(t, "quiet-start", "open", 4, false),
      recent: await conversation(t, "recent", "open", 2.9),
      snoozed: await conversation(t, "snoozed", "snoozed", 10),
      resolved: await conversation(t, "resolved", "resolved", 10),
    };
    const otherIdle = await conversation(other, "other-idle", "open", 30); // the other workspace has no rule

    const resolved = await autoResolveIdleConversations({ appDb: database.appDb, log }, t.tenant.id);
    expect(resolved).toBe(3);
    const statuses = Object.fromEntries(
      await Promise.all(Object.entries(ids).map(async ([name, id]) => [name, (await database.db.conversation.findUniqueOrThrow({ where: { id } })).status])),
    );
    expect(statuses).toEqual({ idleOpen: "resolved", idlePending: "resolved", quietStart: "resolved", recent: "open", snoozed: "snoozed", resolved: "resolved" });
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: ids.idleOpen } })).resolvedAt).toBeInstanceOf(Date);
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: t.rows.conversation.id } })).status).toBe("open"); // started just now
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: otherIdle } })).status).toBe("open");

    const events = await database.db.event.findMany({ where: { tenantId: t.tenant.id, type: "conversation.status_changed" } });
    expect(events.map((event) => [event.conversationId, (event.payload as { previousStatus: string }).previousStatus]).sort()).toEqual(
      [
        [ids.idleOpen, "open"],
        [ids.idlePending, "pending"],
        [ids.quietStart, "open"],
      ].sort(),
    );
    expect(events[0]!.payload).toMatchObject({ conversation: { status: "resolved" }, by: null });

    expect(await autoResolveIdleConversations({ appDb: database.appDb, log }, t.tenant.id)).toBe(0); // nothing left to do
  });

  it("the periodic job goes through every workspace with a rule, and leaves the others alone", async () => {
    await setRule(t, 1);
    await setRule(other, null);
    const mine = await conversation(t, "job-idle", "open", 2);
    const theirs = await conversation(other, "job-other-idle", "open", 400);
    await scheduledTaskList({ appDb: database.appDb, systemDb: database.db })[AUTO_RESOLVE_TASK]!({}, { helpers: {} as JobHelpers, requestId: "job:1", log });
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: mine } })).status).toBe("resolved");
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: theirs } })).status).toBe("open");
  });

  it("works through a backlog larger than one transaction's batch", async () => {
    const backlog = await createTenantFixture(database.db, "idle-backlog");
    await setRule(backlog, 7);
    const at = new Date(Date.now() - 8 * DAY);
    await database.db.conversation.createMany({
      data: Array.from({ length: 250 }, (_, i) => ({ tenantId: backlog.tenant.id, channelId: backlog.rows.channel.id, contactId: backlog.rows.contact.id, externalChatId: `b${i}`, lastMessageAt: at })),
    });
    expect(await autoResolveIdleConversations({ appDb: database.appDb, log }, backlog.tenant.id)).toBe(250);
    expect(await database.db.conversation.count({ where: { tenantId: backlog.tenant.id, status: "resolved" } })).toBe(250);
  });
});
