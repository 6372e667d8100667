import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";

/**
 * The quarantine from an admin's side (tRPC `quarantine.*`, the Channels page):
 * what intake set aside is listed with its reason, retried after a fix — with
 * the message and its events appearing as if intake had stored it — or
 * discarded; each retry and discard audited.
 */

let database: TestDatabase;
let t: TenantFixture;
let other: TenantFixture;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let token: string;
let channelId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "quarantine");
  other = await createTenantFixture(database.db, "quarantine-other");
  telegram = await startTelegram(database);
  token = telegram.emulator.addBot(`700201:${"R".repeat(35)}`, "quarantine_bot").token;
  channelId = (await admin().channels.connectTelegram({ token, mode: "webhook" })).id;
});
afterAll(async () => {
  await telegram.stop();
  await database.drop();
});

const admin = () => callerFor(database, t.as("admin"), { tenantSlug: "quarantine" });
const messagesWith = (text: string) => database.db.message.findMany({ where: { conversation: { channelId }, text } });
const waitingOf = async () => (await admin().channels.list()).find((channel) => channel.id === channelId)!.quarantined;

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A customer's message through the emulator; resolves once a message written after it in the same chat is stored. */
async function customerWrites(chatId: number, text: string) {
  const from = { id: chatId, is_bot: false as const, first_name: "Quinn" };
  const chat = { id: chatId, type: "private" as const, first_name: "Quinn" };
  const update = telegram.emulator.customerMessage(token, { chat, from, content: { text } });
  const marker = `after ${update.update_id}`;
  telegram.emulator.customerMessage(token, { chat, from, content: { text: marker } });
  await until(() => messagesWith(marker), (found) => found.length === 1, marker);
  return update;
}

/** A quarantined row as intake would have left it, for cases the emulator cannot make. */
async function quarantined(raw: Buffer, fields: { errorCode?: string; retriable?: boolean; updateId?: number; createdAt?: Date; channelId?: string; tenantId?: string } = {}) {
  return database.db.quarantinedUpdate.create({
    data: {
      tenantId: fields.tenantId ?? t.tenant.id,
      channelId: fields.channelId ?? channelId,
      updateId: fields.updateId === undefined ? null : BigInt(fields.updateId),
      raw: new Uint8Array(raw),
      digest: createHash("sha256").update(raw).digest("hex"),
      error: "arranged by the test",
      errorCode: fields.errorCode ?? "22P05",
      attempts: 5,
      retriable: fields.retriable ?? true,
      ...(fields.createdAt ? { createdAt: fields.createdAt } : {}),
    },
  });
}

describe("an update refused by the database until a fix", () => {
  it("is listed with its reason; retry fails while the cause holds, and after the fix stores the message with its events", async () => {
    await database.db.$executeRawUnsafe(`ALTER TABLE "Message" ADD CONSTRAINT refuse_until_fix CHECK (text IS DISTINCT FROM 'refused until the fix')`);
    const update = await customerWrites(7301, "refused until the fix");

    const { items, nextCursor } = await admin().quarantine.list({ channelId });
    expect(nextCursor).toBeNull();
    const item = items.find((candidate) => candidate.updateId === update.update_id)!;
    expect(item).toMatchObject({ errorCode: "23514", attempts: 5, status: "pending", retriable: true, error: expect.stringContaining('violates check constraint "refuse_until_fix"') });
    expect(item.createdAt).toBeInstanceOf(Date);
    expect(item.preview).toContain(`{"update_id":${update.update_id},"message":`);
    expect(item.size).toBe(Buffer.byteLength(JSON.stringify(update)));
    expect(await waitingOf()).toBe(1);

    const failed = await admin().quarantine.retry({ id: item.id });
    expect(failed).toMatchObject({ stored: false, errorCode: "23514", error: expect.stringContaining("refuse_until_fix") });
    expect(await database.db.quarantinedUpdate.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "pending", attempts: 6 });
    expect(await messagesWith("refused until the fix")).toHaveLength(0);

    await database.db.$executeRawUnsafe(`ALTER TABLE "Message" DROP CONSTRAINT refuse_until_fix`);
    expect(await admin().quarantine.retry({ id: item.id })).toEqual({ stored: true, result: "ok" });
    const [message] = await messagesWith("refused until the fix");
    expect(message).toMatchObject({ direction: "inbound", externalId: String((update.message as { message_id: number }).message_id) });
    const event = await database.db.event.findFirstOrThrow({ where: { conversationId: message!.conversationId, type: "message.created" }, orderBy: { id: "desc" } });
    expect(event.payload).toMatchObject({ message: { id: message!.id, text: "refused until the fix" } });
    expect(await database.db.quarantinedUpdate.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "retried", attempts: 7, resolvedByUserId: t.users.admin.id, resolvedAt: expect.any(Date) });
    expect(await waitingOf()).toBe(0);
    expect((await admin().quarantine.list({ channelId })).items.map((row) => row.id)).not.toContain(item.id);
    expect((await admin().quarantine.list({ channelId, status: "retried" })).items.map((row) => row.id)).toContain(item.id);

    const audits = await database.db.auditLog.findMany({ where: { tenantId: t.tenant.id, action: "quarantined_update.retried", targetId: item.id }, orderBy: { createdAt: "asc" } });
    expect(audits.map((audit) => [audit.actorUserId, (audit.metadata as { outcome: string }).outcome])).toEqual([
      [t.users.admin.id, "failed"],
      [t.users.admin.id, "ok"],
    ]);
    await expect(admin().quarantine.retry({ id: item.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("a retry cleans as intake does: a NUL PostgreSQL refused before cleaning existed is stored without it", async () => {
    const raw = Buffer.from(
      JSON.stringify({ update_id: 88_001, message: { message_id: 88_001, date: 1_700_000_000, chat: { id: 7302, type: "private" }, from: { id: 7302, is_bot: false, first_name: "Nu\u0000ll" }, text: "zero\u0000byte" } }),
    );
    const row = await quarantined(raw, { updateId: 88_001 });
    expect(await admin().quarantine.retry({ id: row.id })).toEqual({ stored: true, result: "ok" });
    const [message] = await messagesWith("zerobyte");
    expect(message).toBeDefined();
    expect((await database.db.contact.findFirstOrThrow({ where: { conversations: { some: { id: message!.conversationId } } } })).name).toBe("Null");
  });
});

describe("discard", () => {
  it("marks an update discarded with who did it and audits its reason; it leaves the list and cannot be retried or discarded again", async () => {
    const update = await customerWrites(7303, "z".repeat(20_000));
    const item = (await admin().quarantine.list({ channelId })).items.find((candidate) => candidate.updateId === update.update_id)!;
    expect(item).toMatchObject({ errorCode: "too_long", error: "message.text is 20,000 characters long, more than intake takes (16,384, far above Telegram's own limits)" });
    expect(item.preview).toHaveLength(301);
    expect(item.preview.endsWith("…")).toBe(true);

    expect(await admin().quarantine.discard({ id: item.id })).toMatchObject({ id: item.id, status: "discarded" });
    expect(await database.db.quarantinedUpdate.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "discarded", resolvedByUserId: t.users.admin.id });
    expect((await admin().quarantine.list({ channelId })).items.map((row) => row.id)).not.toContain(item.id);
    expect(await database.db.auditLog.findFirstOrThrow({ where: { action: "quarantined_update.discarded", targetId: item.id } })).toMatchObject({
      tenantId: t.tenant.id,
      actorUserId: t.users.admin.id,
      targetType: "quarantined_update",
      metadata: { updateId: update.update_id, errorCode: "too_long" },
    });
    await expect(admin().quarantine.discard({ id: item.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(admin().quarantine.retry({ id: item.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("is the only way out for a body that was too large to keep whole: it cannot be retried", async () => {
    const row = await quarantined(Buffer.from('{"update_id":1,"message":{"text":"yyyy'), { errorCode: "too_large", retriable: false });
    await expect(admin().quarantine.retry({ id: row.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("too large") });
    await admin().quarantine.discard({ id: row.id });
  });
});

describe("the list", () => {
  it("previews a body as plain text: markup stays text, control characters, NUL and bytes that are not UTF-8 become U+FFFD", async () => {
    const raw = Buffer.concat([Buffer.from('<script>alert("x")</script>\u001b[31m red\n'), Buffer.from([0x00, 0xff, 0xfe]), Buffer.from(" end")]);
    const row = await quarantined(raw, { errorCode: "invalid_json" });
    const item = (await admin().quarantine.list({ channelId })).items.find((candidate) => candidate.id === row.id)!;
    expect(item.preview).toBe('<script>alert("x")</script>\uFFFD[31m red\n\uFFFD\uFFFD\uFFFD end');
    await admin().quarantine.discard({ id: row.id });
  });

  it("pages newest first with a cursor, and refuses a cursor it did not give", async () => {
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const rows = [await quarantined(Buffer.from("a"), { createdAt: at(30) }), await quarantined(Buffer.from("b"), { createdAt: at(20) }), await quarantined(Buffer.from("c"), { createdAt: at(10) })];
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin().quarantine.list({ channelId, limit: 2, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.filter((id) => rows.some((row) => row.id === id))).toEqual(rows.map((row) => row.id).reverse());
    await expect(admin().quarantine.list({ channelId, cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    for (const row of rows) await admin().quarantine.discard({ id: row.id });
  });

  it("knows no channel or update of another workspace", async () => {
    await expect(admin().quarantine.list({ channelId: other.rows.channel.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(admin().quarantine.retry({ id: other.rows.quarantinedUpdate.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(admin().quarantine.discard({ id: other.rows.quarantinedUpdate.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await database.db.quarantinedUpdate.findUniqueOrThrow({ where: { id: other.rows.quarantinedUpdate.id } })).toMatchObject({ status: "pending", attempts: 5 });
  });
});
