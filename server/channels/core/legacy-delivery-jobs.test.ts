import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPipeline, type Pipeline } from "@/server/test/pipeline";
import { LEGACY_DELIVER_TASKS } from "./queue-delivery";

/**
 * Before channels shared one delivery, a reply's job was `telegram.deliver` on a
 * per-chat queue `tg:<channel>:<chat>`. Jobs queued that way by the previous
 * version, still waiting when the new one starts, must deliver exactly as before.
 */
let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline({ slug: "legacy-jobs", botId: 700401, realtime: false });
});
afterAll(() => pipeline.stop());

describe("delivery jobs queued under the old task name", () => {
  it("still deliver the reply, once, and mark it sent", async () => {
    const { database, t, telegram, token, channelId } = pipeline;
    telegram.emulator.customerMessage(token, { chat: { id: 9101, type: "private", first_name: "Olga" }, from: { id: 9101, is_bot: false, first_name: "Olga" }, content: { text: "hi" } });
    await telegram.drained(token);
    const conversation = await database.db.conversation.findFirstOrThrow({ where: { channelId, externalChatId: "9101" } });
    // A pending reply as the old version stored it, and its job as the old version queued it.
    const message = await database.db.message.create({
      data: { tenantId: t.tenant.id, conversationId: conversation.id, direction: "outbound", senderType: "agent", text: "queued before the upgrade", deliveryStatus: "pending" },
    });
    await database.db.$executeRaw`SELECT graphile_worker.add_job(${LEGACY_DELIVER_TASKS[0]}, json_build_object('tenantId', ${t.tenant.id}::text, 'messageId', ${message.id}::text),
      queue_name := ${`tg:${channelId}:9101`}, job_key := ${`deliver:${message.id}`}, max_attempts := 10)`;

    const deadline = Date.now() + 20_000;
    let stored = message;
    while (stored.deliveryStatus === "pending" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      stored = await database.db.message.findUniqueOrThrow({ where: { id: message.id } });
    }
    expect(stored.deliveryStatus).toBe("sent");
    expect(telegram.emulator.sent(token, 9101).map((m) => m.text)).toEqual(["queued before the upgrade"]);
    expect(stored.externalId).toBe(String(telegram.emulator.sent(token, 9101)[0]!.message_id));
  });
});
