import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";

let database: TestDatabase;
let t: TenantFixture;
let telegram: Awaited<ReturnType<typeof startTelegram>>;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "modes");
  telegram = await startTelegram(database);
});
afterAll(async () => {
  await telegram.stop();
  await database.drop();
});

const as = (role: "admin" | "agent") => callerFor(database, t.as(role), { tenantSlug: "modes" });

describe("channels.setMode", () => {
  it("moves a bot from webhook to polling and back: Telegram is told, the channel stored, each switch audited", async () => {
    const token = telegram.emulator.addBot("700101:" + "M".repeat(35), "modes_bot").token;
    const { id } = await as("admin").channels.connectTelegram({ token, mode: "webhook" });
    expect(telegram.emulator.bot(token).webhook?.url).toContain(`/api/telegram/${id}/webhook`);

    expect(await as("admin").channels.setMode({ id, mode: "polling" })).toMatchObject({ mode: "polling", status: "active" });
    expect(telegram.emulator.bot(token).webhook).toBeUndefined();

    await as("admin").channels.setMode({ id, mode: "webhook" });
    const channel = await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId: id } });
    expect(channel.mode).toBe("webhook");
    expect(telegram.emulator.bot(token).webhook).toMatchObject({ url: expect.stringContaining(id), secret: channel.webhookSecret });

    const audit = await database.db.auditLog.findMany({ where: { tenantId: t.tenant.id, action: "channel.mode_changed", targetId: id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => entry.metadata)).toEqual([
      { bot: "modes_bot", from: "webhook", to: "polling" },
      { bot: "modes_bot", from: "polling", to: "webhook" },
    ]);
  });

  it("keeps the old mode when Telegram refuses, and says why", async () => {
    const token = telegram.emulator.addBot("700102:" + "N".repeat(35), "refused_bot").token;
    const { id } = await as("admin").channels.connectTelegram({ token, mode: "polling" });
    telegram.emulator.fault(token, { method: "setWebhook", kind: "500", count: 1 });
    await expect(as("admin").channels.setMode({ id, mode: "webhook" })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE", message: expect.stringContaining("could not set the webhook") });
    expect((await database.db.telegramChannel.findUniqueOrThrow({ where: { channelId: id } })).mode).toBe("polling");
    expect(telegram.emulator.bot(token).webhook).toBeUndefined();
  });

  it("refuses a disconnected channel and agents", async () => {
    const token = telegram.emulator.addBot("700103:" + "O".repeat(35), "gone_bot").token;
    const { id } = await as("admin").channels.connectTelegram({ token, mode: "polling" });
    await expect(as("agent").channels.setMode({ id, mode: "webhook" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await as("admin").channels.disconnect({ id });
    await expect(as("admin").channels.setMode({ id, mode: "webhook" })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
