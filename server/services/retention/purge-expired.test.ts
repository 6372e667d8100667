import type { JobHelpers } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { RETENTION_PURGE_TASK, scheduledTaskList } from "@/server/worker/scheduled-tasks";
import { purgeExpiredData } from "./purge-expired";

let database: TestDatabase;
/** Keeps 10 days (its own setting). */
let a: TenantFixture;
/** Keeps everything (its own setting overrides the environment's 30 days). */
let b: TenantFixture;
/** Has no setting of its own: the environment's default applies (development: 30 days, config/settings.json). */
let c: TenantFixture;
const log = createLogger("test", "silent");
const DAY = 86_400_000;
const MINUTE = 60_000;
const now = new Date();
const cutoff = new Date(now.getTime() - 10 * DAY);
const before = (ms: number) => new Date(cutoff.getTime() - ms);
const after = (ms: number) => new Date(cutoff.getTime() + ms);

beforeAll(async () => {
  database = await createTestDatabase();
  a = await createTenantFixture(database.db, "purge-a");
  b = await createTenantFixture(database.db, "purge-b");
  c = await createTenantFixture(database.db, "purge-c");
  await database.db.tenantSettings.update({ where: { tenantId: a.tenant.id }, data: { values: { retention: { days: 10 } } } });
  await database.db.tenantSettings.update({ where: { tenantId: b.tenant.id }, data: { values: { retention: { days: null } } } });
  await database.db.tenantSettings.update({ where: { tenantId: c.tenant.id }, data: { values: {} } });
});
afterAll(async () => {
  await database.drop();
});

async function conversationOf(t: TenantFixture, chat: string, preview: string) {
  return database.db.conversation.create({
    data: { tenantId: t.tenant.id, channelId: t.rows.channel.id, contactId: t.rows.contact.id, externalChatId: chat, lastMessagePreview: preview, lastMessageAt: now },
  });
}

function message(t: TenantFixture, conversationId: string, text: string, createdAt: Date, uploadIds: string[] = []) {
  return database.db.message.create({
    data: {
      tenantId: t.tenant.id,
      conversationId,
      direction: uploadIds.length ? "outbound" : "inbound",
      senderType: uploadIds.length ? "agent" : "contact",
      text,
      deliveryStatus: uploadIds.length ? "sent" : "received",
      attachments: uploadIds.map((uploadId) => ({ kind: "document", uploadId, fileName: "f.txt", mimeType: "text/plain", size: 1 })),
      createdAt,
    },
  });
}

const upload = (t: TenantFixture, name: string, createdAt: Date) =>
  database.db.upload.create({ data: { tenantId: t.tenant.id, fileName: name, mimeType: "text/plain", size: 1, bytes: new Uint8Array([1]), createdAt } });

const quarantined = (t: TenantFixture, createdAt: Date) =>
  database.db.quarantinedUpdate.create({
    data: { tenantId: t.tenant.id, channelId: t.rows.channel.id, raw: new Uint8Array(Buffer.from('{"update_id":1}')), digest: `d-${createdAt.getTime()}-${t.tenant.id}`, error: "x", errorCode: "23514", createdAt },
  });

const notification = (t: TenantFixture, createdAt: Date) =>
  database.db.notification.create({
    data: { tenantId: t.tenant.id, userId: t.users.agent.id, type: "message.new", conversationId: t.rows.conversation.id, sourceEventId: BigInt(createdAt.getTime()), data: { preview: "old words" }, createdAt },
  });

const event = (t: TenantFixture, createdAt: Date) => database.db.event.create({ data: { tenantId: t.tenant.id, type: "message.created", payload: { message: { text: "old" } }, createdAt } });

describe("retention purge", () => {
  it("deletes exactly the workspace's messages, files, events, quarantined updates and notifications older than its window, in batches, keeps conversations, and audits the counts", async () => {
    const oldOnly = await conversationOf(a, "old-only", "ancient history");
    const mixed = await conversationOf(a, "mixed", "fresh words");
    // More than two statements' worth (1,000 rows each) of old messages.
    await database.db.message.createMany({
      data: Array.from({ length: 2_100 }, (_, i) => ({ tenantId: a.tenant.id, conversationId: oldOnly.id, direction: "inbound" as const, senderType: "contact" as const, text: `bulk ${i}`, deliveryStatus: "received" as const, createdAt: before(DAY + i * MINUTE) })),
    });
    await message(a, oldOnly.id, "a minute too old", before(MINUTE));
    const keptFile = await upload(a, "kept-by-a-new-reply.txt", before(2 * DAY));
    const orphanedFile = await upload(a, "only-an-old-reply.txt", before(3 * DAY));
    const unusedOld = await upload(a, "never-sent-old.txt", before(MINUTE));
    const unusedNew = await upload(a, "never-sent-new.txt", after(MINUTE));
    await message(a, mixed.id, "old reply with a file", before(2 * MINUTE), [orphanedFile.id]);
    await message(a, mixed.id, "old question", before(MINUTE));
    const atEdge = await message(a, mixed.id, "exactly at the cutoff", cutoff);
    const newReply = await message(a, mixed.id, "new reply with an old file", after(MINUTE), [keptFile.id]);
    const oldEvent = await event(a, before(MINUTE));
    const newEvent = await event(a, after(MINUTE));
    const oldQuarantined = await quarantined(a, before(MINUTE));
    const newQuarantined = await quarantined(a, after(MINUTE));
    const bOldQuarantined = await quarantined(b, before(400 * DAY));
    const oldNotification = await notification(a, before(MINUTE));
    const newNotification = await notification(a, after(MINUTE));
    const bOldNotification = await notification(b, before(400 * DAY));
    // The other workspaces' old rows, which A's purge must not touch.
    const bOld = await message(b, b.rows.conversation.id, "b's old message", before(400 * DAY));
    const cOld = await message(c, c.rows.conversation.id, "c's old message", before(400 * DAY));
    const bOldEvent = await event(b, before(400 * DAY));

    const result = await purgeExpiredData({ appDb: database.appDb, log, now }, a.tenant.id);
    expect(result).toEqual({ cutoff, days: 10, messages: 2_103, uploads: 2, events: 1, quarantinedUpdates: 1, notifications: 1 });
    const notifications = await database.db.notification.findMany({ where: { id: { in: [oldNotification.id, newNotification.id, bOldNotification.id] } }, select: { id: true } });
    expect(notifications.map((row) => row.id).sort()).toEqual([newNotification.id, bOldNotification.id].sort());
    const quarantine = await database.db.quarantinedUpdate.findMany({ where: { id: { in: [oldQuarantined.id, newQuarantined.id, bOldQuarantined.id] } }, select: { id: true } });
    expect(quarantine.map((row) => row.id).sort()).toEqual([newQuarantined.id, bOldQuarantined.id].sort());

    const remaining = await database.db.message.findMany({ where: { tenantId: a.tenant.id }, select: { id: true } });
    expect(remaining.map((row) => row.id).sort()).toEqual([a.rows.message.id, atEdge.id, newReply.id].sort());
    const uploads = await database.db.upload.findMany({ where: { tenantId: a.tenant.id }, select: { id: true } });
    expect(uploads.map((row) => row.id).sort()).toEqual([a.rows.upload.id, keptFile.id, unusedNew.id].sort());
    expect(await database.db.upload.count({ where: { id: unusedOld.id } })).toBe(0);
    const events = await database.db.event.findMany({ where: { tenantId: a.tenant.id }, select: { id: true } });
    expect(events.map((row) => row.id)).toContain(newEvent.id);
    expect(events.map((row) => row.id)).not.toContain(oldEvent.id);

    // Conversations stay; one with no message left loses its preview.
    expect(await database.db.conversation.findUniqueOrThrow({ where: { id: oldOnly.id } })).toMatchObject({ lastMessagePreview: null });
    expect(await database.db.conversation.findUniqueOrThrow({ where: { id: mixed.id } })).toMatchObject({ lastMessagePreview: "fresh words" });

    expect(await database.db.message.count({ where: { id: { in: [bOld.id, cOld.id] } } })).toBe(2);
    expect(await database.db.event.count({ where: { id: bOldEvent.id } })).toBe(1);

    const audit = await database.db.auditLog.findFirstOrThrow({ where: { tenantId: a.tenant.id, action: "retention.purged" } });
    expect(audit).toMatchObject({ targetType: "tenant", targetId: a.tenant.id, actorUserId: null, metadata: { cutoff: cutoff.toISOString(), days: 10, messages: 2_103, uploads: 2, events: 1, quarantinedUpdates: 1, notifications: 1 } });

    // Run again: nothing more to delete, and no audit entry for nothing.
    expect(await purgeExpiredData({ appDb: database.appDb, log, now }, a.tenant.id)).toMatchObject({ messages: 0, uploads: 0, events: 0, quarantinedUpdates: 0, notifications: 0 });
    expect(await database.db.auditLog.count({ where: { tenantId: a.tenant.id, action: "retention.purged" } })).toBe(1);
  });

  it("keeps everything for a workspace whose retention is off, even where the environment has a default", async () => {
    expect(await purgeExpiredData({ appDb: database.appDb, log, now }, b.tenant.id)).toBeNull();
    expect(await database.db.message.count({ where: { tenantId: b.tenant.id, text: "b's old message" } })).toBe(1);
  });

  it("the periodic job applies each workspace's own window, or the environment's default where it has none", async () => {
    const cRecent = await message(c, c.rows.conversation.id, "c's message of 29 days ago", new Date(Date.now() - 29 * DAY));
    await scheduledTaskList({ appDb: database.appDb, systemDb: database.db })[RETENTION_PURGE_TASK]!({}, { helpers: {} as JobHelpers, requestId: "job:1", log });
    // C: the development environment's 30 days (config/settings.json).
    expect(await database.db.message.count({ where: { tenantId: c.tenant.id, text: "c's old message" } })).toBe(0);
    expect(await database.db.message.count({ where: { id: cRecent.id } })).toBe(1);
    expect(await database.db.auditLog.findFirstOrThrow({ where: { tenantId: c.tenant.id, action: "retention.purged" } })).toMatchObject({ metadata: { days: 30, messages: 1 } });
    // B: off.
    expect(await database.db.message.count({ where: { tenantId: b.tenant.id, text: "b's old message" } })).toBe(1);
    expect(await database.db.auditLog.count({ where: { tenantId: b.tenant.id, action: "retention.purged" } })).toBe(0);
  });
});
