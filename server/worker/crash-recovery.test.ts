import type { ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";
import { startWorkerProcess } from "@/server/test/worker-process";

/**
 * The real worker process killed outright in the middle of a delivery, then
 * another started: what Telegram had already accepted is not sent again, and
 * what it had not is sent once the new worker takes the job over.
 */

let database: TestDatabase;
let t: TenantFixture;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let dataDir: string;
let token: string;
let channelId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "crashes");
  telegram = await startTelegram(database);
  token = telegram.emulator.addBot("700077:" + "K".repeat(35), "crash_bot").token;
  channelId = (await admin().channels.connectTelegram({ token, mode: "webhook" })).id;
  dataDir = mkdtempSync(path.join(tmpdir(), "sc-crash-"));
  chmodSync(dataDir, 0o711);
});
afterAll(async () => {
  await telegram.stop();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function admin() {
  return callerFor(database, t.as("admin"), { tenantSlug: "crashes" });
}

function startWorker(): Promise<ChildProcess> {
  return startWorkerProcess({ databaseUrl: database.url, dataDir, telegramApiRoot: telegram.apiRoot, extra: { JOB_STALE_LOCK_SECONDS: "1", LOG_LEVEL: "warn" } });
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function customerConversation(chatId: number) {
  telegram.emulator.customerMessage(token, { chat: { id: chatId, type: "private", first_name: "K" }, from: { id: chatId, is_bot: false, first_name: "K" }, content: { text: "hi" } });
  await telegram.drained(token);
  return database.db.conversation.findFirstOrThrow({ where: { channelId, externalChatId: String(chatId) } });
}

const kill = async (worker: ChildProcess) => {
  worker.kill("SIGKILL");
  await new Promise((resolve) => worker.once("exit", resolve));
};

describe("a worker killed mid-delivery", () => {
  it("after Telegram accepted part of a long reply, the next worker sends only the rest: each part exactly once", async () => {
    const conversation = await customerConversation(9501);
    const text = ["a", "b", "c"].map((letter) => letter.repeat(4000)).join("\n\n");
    const first = await startWorker();
    const message = await admin().messages.send({ conversationId: conversation.id, text });
    // The per-chat limit spaces the parts a second apart: kill between the first and the second.
    await until(async () => ((await database.db.message.findUniqueOrThrow({ where: { id: message.id } })).content as { externalIds?: string[] } | null)?.externalIds?.length === 1);
    await kill(first);
    expect(telegram.emulator.sent(token, 9501)).toHaveLength(1);

    const second = await startWorker();
    try {
      await until(async () => (await database.db.message.findUniqueOrThrow({ where: { id: message.id } })).deliveryStatus === "sent");
    } finally {
      await kill(second);
    }
    expect(telegram.emulator.sent(token, 9501).map((m) => m.text![0])).toEqual(["a", "b", "c"]);
  }, 90_000);

  it("before Telegram accepted anything, the next worker delivers it once", async () => {
    const conversation = await customerConversation(9502);
    telegram.emulator.fault(token, { method: "sendMessage", kind: "429", count: 1, retryAfter: 20 });
    const first = await startWorker();
    const message = await admin().messages.send({ conversationId: conversation.id, text: "survives a crash" });
    // The worker now waits out the 429 (up to 30 s) — kill it while it waits.
    await until(async () => telegram.emulator.bot(token).faults.length === 0);
    await kill(first);
    expect(telegram.emulator.sent(token, 9502)).toHaveLength(0);

    const second = await startWorker();
    try {
      await until(async () => (await database.db.message.findUniqueOrThrow({ where: { id: message.id } })).deliveryStatus === "sent");
    } finally {
      await kill(second);
    }
    expect(telegram.emulator.sent(token, 9502).map((m) => m.text)).toEqual(["survives a crash"]);
  }, 90_000);
});

describe("a worker stopped with SIGTERM", () => {
  it("mid-send: stops claiming, finishes the reply in hand, records it, and exits 0 — nothing sent twice", async () => {
    const conversation = await customerConversation(9503);
    telegram.emulator.fault(token, { method: "sendMessage", kind: "slow", count: 1, delayMs: 1500 });
    const output: string[] = [];
    const worker = await startWorkerProcess({ databaseUrl: database.url, dataDir, telegramApiRoot: telegram.apiRoot, output, extra: { LOG_LEVEL: "info", LOG_FORMAT: "json" } });
    const exited = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    const message = await admin().messages.send({ conversationId: conversation.id, text: "finished before leaving" });
    await until(async () => telegram.emulator.bot(token).faults.length === 0); // Telegram holds the send for 1.5 s
    worker.kill("SIGTERM");

    expect(await exited).toBe(0);
    expect((await database.db.message.findUniqueOrThrow({ where: { id: message.id } })).deliveryStatus).toBe("sent");
    expect(telegram.emulator.sent(token, 9503).map((m) => m.text)).toEqual(["finished before leaving"]);
    const lines = output.join("").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { msg: string });
    const messages = lines.map((line) => line.msg);
    expect(messages.indexOf("stopping")).toBeLessThan(messages.indexOf("delivery job done"));
  }, 60_000);
});
