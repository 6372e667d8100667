import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import pg from "pg";
import { TelegramEmulator } from "@/e2e/telegram-emulator/emulator";
import { serveTelegramWebhook } from "@/server/channels/telegram/handle-webhook";
import { createAppPool, createSystemPool } from "@/server/db/app-pool";
import { createAppDb, createSystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { createLogger } from "@/server/logger";
import { createSendLimits } from "@/server/channels/core/send-limits";
import { seal } from "@/server/security/secret-box";
import { sendMessage } from "@/server/services/messages/send-message";
import { startDeliveryRunner } from "@/server/worker/delivery-runner";
import { openBenchDatabase, percentile, readScenario, round } from "./support";

/**
 * Telegram intake and delivery under load, on one machine:
 * - ingest: N updates from M chats into the webhook (each chat one at a time,
 *   as Telegram sends them, the next as soon as the last is acknowledged), every
 *   k-th one delivered twice: the throughput;
 * - steady ingest: the same chats at a steady total rate: the ack times a
 *   webhook sees under load that is not saturating the machine;
 * - delivery: K replies through the job queue and worker to the emulator, which
 *   enforces Telegram's per-bot limit;
 * - baseline: single-row insert transactions per second on the same database.
 */

type Scenario = {
  updates: number;
  chats: number;
  duplicateEvery: number;
  steadyRate: number;
  steadySeconds: number;
  replies: number;
  replyChats: number;
  baselineSeconds: number;
};


/** CPU time the whole machine spent busy (server, generator and PostgreSQL together), where Linux tells. */
function machineCpu(): { busyMs: number } | null {
  try {
    const [user, nice, system, , , irq, softirq] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { busyMs: (user! + nice! + system! + irq! + softirq!) * 10 };
  } catch {
    return null;
  }
}

type LoadOptions = { webhook: string; secret: string; chats: number; perChat: number; duplicateEvery: number; firstUpdateId: number; ratePerSecond?: number };

/** Runs the load generator in its own process (the server runs in this one, so spawn, not spawnSync). */
function runLoad(options: LoadOptions): Promise<{ acks: number[]; failures: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "telegram-load.ts"), JSON.stringify(options)]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`the load generator failed: ${stderr}`))));
  });
}

async function baselineInserts(url: string, clients: number, seconds: number): Promise<number> {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query("CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial primary key, body text not null)");
  await setup.end();
  let count = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      while (Date.now() < deadline) {
        await client.query("BEGIN");
        await client.query("INSERT INTO bench_baseline (body) VALUES ($1)", ["x".repeat(100)]);
        await client.query("COMMIT");
        count++;
      }
      await client.end();
    }),
  );
  return count / seconds;
}

export async function runTelegramBench(): Promise<void> {
  const scenario = readScenario<Scenario>("telegram");
  const log = createLogger("test", "silent");
  const database = await openBenchDatabase();
  const url = database.url;
  process.env.ENCRYPTION_KEY ??= "ab".repeat(32);
  const systemDb = createSystemDb(url, { max: 5 });
  const appDb = createAppDb(url, { max: 20 });
  const appPool = createAppPool(url);
  const systemPool = createSystemPool(url);

  const emulator = new TelegramEmulator({ retryBaseMs: 50 });
  process.env.TELEGRAM_API_ROOT = await emulator.start();
  const token = "777777:" + "B".repeat(35);
  emulator.addBot(token, "bench_bot");
  const tenant = await systemDb.tenant.create({ data: { slug: `bench-${Date.now()}`, name: "Bench", settings: { create: {} } } });
  const sealed = seal(token, process.env.ENCRYPTION_KEY);
  const channel = await systemDb.channel.create({
    data: {
      tenantId: tenant.id,
      type: "telegram",
      name: "bench",
      status: "active",
      telegram: { create: { tenantId: tenant.id, mode: "webhook", tokenCiphertext: sealed.ciphertext, tokenKeyId: sealed.keyId, webhookSecret: "bench-secret" } },
    },
  });

  // The web process's own webhook path (served ahead of Next.js), with the pool sizes it uses.
  const server = createServer((req, res) => {
    if (!serveTelegramWebhook(req, res, { pool: appPool, systemPool, log })) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/telegram/${channel.id}/webhook`;

  // --- ingest: throughput, then ack times at a steady rate --------------------------------
  const load = (options: { perChat: number; firstUpdateId: number; ratePerSecond?: number }) =>
    runLoad({ webhook, secret: "bench-secret", chats: scenario.chats, duplicateEvery: scenario.duplicateEvery, ...options });
  const machineBefore = machineCpu();
  const perChat = Math.ceil(scenario.updates / scenario.chats);
  const { acks, failures, seconds: ingestSeconds } = await load({ perChat, firstUpdateId: 1 });
  const machineAfter = machineCpu();
  const steadyPerChat = Math.ceil((scenario.steadyRate * scenario.steadySeconds) / scenario.chats);
  const steady = await load({ perChat: steadyPerChat, firstUpdateId: 1 + perChat * scenario.chats, ratePerSecond: scenario.steadyRate });
  const sent = acks.length;
  const uniqueUpdates = (perChat + steadyPerChat) * scenario.chats;
  const stored = await systemDb.message.count({ where: { conversation: { channelId: channel.id }, direction: "inbound" } });

  // --- delivery -----------------------------------------------------------------------
  const limits = createSendLimits({ databaseUrl: url });
  const runner = await startDeliveryRunner({ connectionString: url, appDb, limits, log, concurrency: 10 });
  const conversations = await systemDb.conversation.findMany({ where: { channelId: channel.id }, take: scenario.replyChats, select: { id: true } });
  const limitedBefore = emulator.rateLimitedResponses;
  const sendStart = performance.now();
  const replyIds: string[] = [];
  for (let i = 0; i < scenario.replies; i++) {
    const conversation = conversations[i % conversations.length]!;
    const message = await withTenant(appDb, tenant.id, (tx) => sendMessage(tx, { tenantId: tenant.id, conversationId: conversation.id, text: `reply ${i}`, isPrivate: false, actor: {} }));
    replyIds.push(message.id);
  }
  let pending = replyIds.length;
  while (pending > 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    pending = await systemDb.message.count({ where: { id: { in: replyIds }, deliveryStatus: "pending" } });
  }
  const sendSeconds = (performance.now() - sendStart) / 1000;
  const replies = await systemDb.message.findMany({ where: { id: { in: replyIds } }, select: { createdAt: true, updatedAt: true, deliveryStatus: true } });
  const deliveryLatencies = replies.map((r) => r.updatedAt.getTime() - r.createdAt.getTime());
  const delivered = emulator.sent(token).length;
  await runner.stop();
  await limits.close();

  // --- baseline -----------------------------------------------------------------------
  const baseline = await baselineInserts(url, scenario.chats > 10 ? 10 : scenario.chats, scenario.baselineSeconds);

  const result = {
    scenario,
    ingest: {
      requests: sent,
      updatesPerSecond: round(sent / ingestSeconds),
      ackP50Ms: round(percentile(acks, 50), 2),
      ackP99Ms: round(percentile(acks, 99), 2),
      machineCpuMsPerUpdate: machineBefore && machineAfter ? round((machineAfter.busyMs - machineBefore.busyMs) / sent, 2) : null,
      steady: {
        offeredPerSecond: scenario.steadyRate,
        requests: steady.acks.length,
        achievedPerSecond: round(steady.acks.length / steady.seconds),
        ackP50Ms: round(percentile(steady.acks, 50), 2),
        ackP99Ms: round(percentile(steady.acks, 99), 2),
      },
      uniqueUpdates,
      non200: failures + steady.failures,
      lost: uniqueUpdates - Math.min(stored, uniqueUpdates),
      duplicated: Math.max(0, stored - uniqueUpdates),
    },
    delivery: {
      replies: replyIds.length,
      deliveredToTelegram: delivered,
      failed: replies.filter((r) => r.deliveryStatus === "failed").length,
      repliesPerSecond: round(replyIds.length / sendSeconds),
      latencyP50Ms: percentile(deliveryLatencies, 50),
      latencyP99Ms: percentile(deliveryLatencies, 99),
      telegram429s: emulator.rateLimitedResponses - limitedBefore,
    },
    baseline: { singleRowInsertTransactionsPerSecond: round(baseline) },
    memory: { rssMiB: round(process.memoryUsage().rss / 1048576) },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

  server.close();
  await emulator.stop();
  await systemDb.$disconnect();
  await appDb.$disconnect();
  await appPool.end();
  await systemPool.end();
  await database.close();
}
