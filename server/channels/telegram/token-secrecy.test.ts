import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";
import { startWorkerProcess } from "@/server/test/worker-process";

/**
 * The real worker process, at debug level, through polling, deliveries and each
 * kind of failure: not one line it prints may contain the bot token.
 */

let database: TestDatabase;
let t: TenantFixture;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let dataDir: string;
const token = "700099:SeCrEtToKeNtHaTmUsTnEvErLeAkAnYwHeRe";
const secretPart = token.split(":")[1]!;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "secrecy");
  telegram = await startTelegram(database);
  telegram.emulator.addBot(token, "secret_bot");
  dataDir = mkdtempSync(path.join(tmpdir(), "sc-secrecy-"));
});
afterAll(async () => {
  await telegram.stop();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("bot token secrecy", () => {
  it("never appears in the worker's logs, whatever happens", async () => {
    const admin = callerFor(database, t.as("admin"), { tenantSlug: "secrecy" });
    const { id: channelId } = await admin.channels.connectTelegram({ token, mode: "polling" });
    const output: string[] = [];
    const worker = await startWorkerProcess({ databaseUrl: database.url, dataDir, telegramApiRoot: telegram.apiRoot, extra: { LOG_LEVEL: "trace" }, output });
    try {
      const chat = { id: 9901, type: "private" as const, first_name: "Quinn" };
      telegram.emulator.customerMessage(token, { chat, from: { id: 9901, is_bot: false, first_name: "Quinn" }, content: { text: "hello" } });
      await until(async () => (await database.db.message.count({ where: { conversation: { channelId } } })) === 1);
      const conversation = await database.db.conversation.findFirstOrThrow({ where: { channelId } });

      const send = async (text: string) => (await admin.messages.send({ conversationId: conversation.id, text })).id;
      const settled = (id: string) => until(async () => (await database.db.message.findUniqueOrThrow({ where: { id } })).deliveryStatus !== "pending");
      await settled(await send("fine"));
      telegram.emulator.fault(token, { method: "sendMessage", kind: "429", count: 1, retryAfter: 1 });
      await settled(await send("after 429"));
      telegram.emulator.fault(token, { method: "sendMessage", kind: "500", count: 1 });
      await settled(await send("after 500"));
      telegram.emulator.fault(token, { method: "sendMessage", kind: "drop", count: 1 });
      await settled(await send("after a dropped connection"));
      telegram.emulator.fault(token, { method: "sendMessage", kind: "403", count: 1 });
      await settled(await send("blocked"));
      // A failing getUpdates: the customer's next message ends the current long poll, the next call fails.
      telegram.emulator.fault(token, { method: "getUpdates", kind: "500", count: 1 });
      telegram.emulator.customerMessage(token, { chat, from: { id: 9901, is_bot: false, first_name: "Quinn" }, content: { text: "still there?" } });
      await until(async () => (await database.db.message.count({ where: { conversation: { channelId }, text: "still there?" } })) === 1);
    } finally {
      worker.kill("SIGTERM");
      await new Promise((resolve) => worker.once("exit", resolve));
    }
    const logs = output.join("");
    expect(logs).toContain("delivery job done");
    expect(logs).toContain("getUpdates failed");
    expect(logs).not.toContain(secretPart);
    const stored = await database.db.message.findMany({ where: { conversation: { channelId } }, select: { deliveryError: true } });
    expect(JSON.stringify(stored)).not.toContain(secretPart);
    const channel = await database.db.channel.findUniqueOrThrow({ where: { id: channelId }, include: { telegram: true } });
    expect(`${channel.lastError} ${channel.telegram!.tokenCiphertext}`).not.toContain(secretPart);
  }, 90_000);
});
