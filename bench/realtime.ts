import { fork, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import path from "node:path";
import { createAppPool, createSystemPool, withTenantSql } from "@/server/db/app-pool";
import { announceEvents } from "@/server/realtime/announce";
import { freePort } from "@/server/test/free-port";
import { openBenchDatabase, readScenario, round } from "./support";

/**
 * Realtime fan-out under load, on one machine:
 * - the realtime process (as `npm run start:realtime` runs it), S agent sockets
 *   of one workspace connected to it from another process, and events committed
 *   to the log at a steady rate: the time from each commit to each socket;
 * - baseline: a bare Socket.IO server broadcasting the same number of events to
 *   the same number of sockets, from the moment it is asked to.
 */

type Scenario = { sockets: number; eventsPerSecond: number; seconds: number; connectConcurrency: number };
type Figures = { sockets: number; deliveries: number; lost: number; duplicated: number; p50Ms: number; p99Ms: number; maxMs: number };

const root = path.join(import.meta.dirname, "..");
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of a process, now and at its peak (Linux). */
function memoryOf(pid: number): { rssMiB: number; peakMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMiB: round(kib("VmRSS") / 1024), peakMiB: round(kib("VmHWM") / 1024) };
  } catch {
    return null;
  }
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output()}`);
    const ok = await fetch(url).then((r) => r.status < 500, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`no answer from ${url}: ${output()}`);
}

/** Connects the agents' sockets in their own process; resolves when all are connected. */
async function startClients(start: { url: string; secret: string | null; tenantId: string; userIds: string[]; sessionIds: string[]; concurrency: number }) {
  const child = fork(path.join(import.meta.dirname, "realtime-clients.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (message.error) reject(new Error(String(message.error)));
        else if (key in message) resolve(message[key] as T);
        else return;
        child.off("message", onMessage);
      };
      child.on("message", onMessage);
      child.once("exit", (code) => reject(new Error(`the clients' process exited (${code})`)));
    });
  const connected = next<number>("connected");
  child.send({ connect: start });
  await connected;
  return {
    notifications: async (sentAt: Record<string, number>) => {
      const figures = next<Figures & { notifications: number; delivered: number }>("notificationFigures");
      child.send({ notifications: { sentAt } });
      return figures;
    },
    finish: async (sentAt: Record<string, number>) => {
      const figures = next<Figures>("figures");
      child.send({ finish: { sentAt } });
      return figures;
    },
  };
}

/** Calls `publish(seq)` at a steady rate; returns when each was sent (or committed). */
async function publishSteadily(scenario: Scenario, publish: (seq: number) => Promise<number>): Promise<Record<string, number>> {
  const total = scenario.eventsPerSecond * scenario.seconds;
  const interval = 1000 / scenario.eventsPerSecond;
  const started = performance.now();
  const sentAt: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  for (let seq = 0; seq < total; seq++) {
    const due = started + seq * interval;
    if (due > performance.now()) await sleep(due - performance.now());
    inFlight.push(publish(seq).then((at) => void (sentAt[seq] = at)));
  }
  await Promise.all(inFlight);
  // Let the last events arrive.
  await sleep(2000);
  return sentAt;
}

/**
 * In-app notifications: the worker (as `npm run start:worker` runs it, its notifier following the
 * log) and the realtime node already running; customers write in conversations assigned to 20 of
 * the agents, at the scenario's rate; each message's commit to its assignee's notification.created.
 */
async function notificationPhase(input: {
  scenario: Scenario;
  url: string;
  secret: string;
  tenantId: string;
  userIds: string[];
  systemPool: ReturnType<typeof createSystemPool>;
  appPool: ReturnType<typeof createAppPool>;
  clients: Awaited<ReturnType<typeof startClients>>;
}) {
  const { systemPool, tenantId } = input;
  const assignees = input.userIds.slice(0, 20);
  const channelId = (await systemPool.query<{ id: string }>(`INSERT INTO "Channel" (id, "tenantId", type, name, status, "updatedAt") VALUES (gen_random_uuid(), $1, 'telegram', 'Bench bot', 'active', now()) RETURNING id`, [tenantId])).rows[0]!.id;
  const conversations = (
    await systemPool.query<{ id: string }>(
      `WITH contacts AS (INSERT INTO "Contact" (id, "tenantId", name, "updatedAt") SELECT gen_random_uuid(), $1, 'Customer ' || n, now() FROM generate_series(1, $3) n RETURNING id)
       INSERT INTO "Conversation" (id, "tenantId", "channelId", "contactId", "externalChatId", "assigneeId", "updatedAt")
       SELECT gen_random_uuid(), $1, $2, c.id, c.id::text, a.user_id, now() FROM (SELECT id, row_number() OVER () AS n FROM contacts) c JOIN (SELECT user_id, row_number() OVER () AS n FROM unnest($4::uuid[]) user_id) a USING (n)
       RETURNING id`,
      [tenantId, channelId, assignees.length, assignees],
    )
  ).rows.map((row) => row.id);
  const port = await freePort();
  let output = "";
  const worker = spawn(process.execPath, ["--import", "tsx", path.join(root, "server/worker/main.ts")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: input.url, APP_SECRET: input.secret, ENCRYPTION_KEY: "ab".repeat(32), WORKER_PORT: String(port), LOG_LEVEL: "warn", REDIS_URL: "", SMTP_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  worker.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  await waitForHttp(`http://127.0.0.1:${port}/health`, worker, () => output);
  const write = (text: string, seq: number) => {
    const conversationId = conversations[seq % conversations.length]!;
    const message = { id: crypto.randomUUID(), tenantId, conversationId, direction: "inbound", senderType: "contact", senderUserId: null, isPrivate: false, text, content: null, attachments: [], deliveryStatus: "received", createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    return withTenantSql(input.appPool, tenantId, (client) =>
      client.query(`INSERT INTO "Event" ("tenantId", type, "conversationId", payload) VALUES ($1, 'message.created', $2, $3)`, [tenantId, conversationId, JSON.stringify({ message })]),
    ).then(() => {
      const committedAt = now();
      announceEvents(systemPool);
      return committedAt;
    });
  };
  // An unmeasured warm-up (2 s at the same rate): a fresh process's first queries compile and plan.
  await publishSteadily({ ...input.scenario, seconds: 2 }, (seq) => write(`warm-up ${seq}`, seq));
  const sentAt = await publishSteadily(input.scenario, (seq) => write(`n:${seq}`, seq));
  const figures = await input.clients.notifications(sentAt);
  worker.kill("SIGTERM");
  await new Promise((resolve) => worker.once("exit", resolve));
  return figures;
}

export async function runRealtimeBench(): Promise<void> {
  const scenario = readScenario<Scenario>("realtime");
  const database = await openBenchDatabase();
  const url = database.url;
  const systemPool = createSystemPool(url, 5);
  const appPool = createAppPool(url, 10);
  const secret = randomBytes(32).toString("base64url");

  // One workspace with S agents.
  const tenantId = (await systemPool.query<{ id: string }>(`INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES (gen_random_uuid(), $1, 'Bench', now()) RETURNING id`, [`bench-rt-${Date.now()}`])).rows[0]!.id;
  const userIds = (
    await systemPool.query<{ id: string }>(
      `INSERT INTO "User" (id, email, name, "updatedAt") SELECT gen_random_uuid(), 'agent' || n || '-' || $2 || '@bench.example', 'Agent ' || n, now() FROM generate_series(1, $1) n RETURNING id`,
      [scenario.sockets, Date.now()],
    )
  ).rows.map((row) => row.id);
  await systemPool.query(`INSERT INTO "Membership" (id, "tenantId", "userId", role, "updatedAt") SELECT gen_random_uuid(), $1, unnest($2::uuid[]), 'agent', now()`, [tenantId, userIds]);
  // Each agent signed in once: realtime keeps a user's socket only while their session is live.
  const sessionOf = new Map(
    (
      await systemPool.query<{ id: string; userId: string }>(
        `INSERT INTO "Session" (id, "userId", "expiresAt") SELECT gen_random_uuid(), unnest($1::uuid[]), now() + interval '1 day' RETURNING id, "userId"`,
        [userIds],
      )
    ).rows.map((row) => [row.userId, row.id]),
  );
  const sessionIds = userIds.map((userId) => sessionOf.get(userId)!);

  // --- the realtime process --------------------------------------------------------------
  const port = await freePort();
  let output = "";
  const realtime = spawn(process.execPath, ["--import", "tsx", path.join(root, "server/realtime/main.ts")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: url, APP_SECRET: secret, ENCRYPTION_KEY: "ab".repeat(32), REALTIME_PORT: String(port), LOG_LEVEL: "warn", REDIS_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  realtime.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  realtime.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  await waitForHttp(`http://127.0.0.1:${port}/health`, realtime, () => output);
  const idle = memoryOf(realtime.pid!);
  const connectStarted = performance.now();
  const clients = await startClients({ url: `http://127.0.0.1:${port}`, secret, tenantId, userIds, sessionIds, concurrency: scenario.connectConcurrency });
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const connectedMemory = memoryOf(realtime.pid!);
  // Each event in its own transaction, announced after the commit as the web and worker processes do.
  const sentAt = await publishSteadily(scenario, (seq) =>
    withTenantSql(appPool, tenantId, (client) =>
      client.query(`INSERT INTO "Event" ("tenantId", type, payload) VALUES ($1, 'conversation.updated', $2)`, [tenantId, JSON.stringify({ seq })]),
    ).then(() => {
      const committedAt = now();
      announceEvents(systemPool);
      return committedAt;
    }),
  );
  const loadedMemory = memoryOf(realtime.pid!);
  const notifications = await notificationPhase({ scenario, url, secret, tenantId, userIds, systemPool, appPool, clients });
  const figures = await clients.finish(sentAt);
  realtime.kill("SIGTERM");

  // --- baseline: bare Socket.IO ------------------------------------------------------------
  const barePort = await freePort();
  const bare = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "realtime-bare.ts"), String(barePort)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => bare.stdout!.once("data", () => resolve()));
  const bareClients = await startClients({ url: `http://127.0.0.1:${barePort}`, secret: null, tenantId, userIds, sessionIds, concurrency: scenario.connectConcurrency });
  const bareSentAt = await publishSteadily(scenario, async (seq) => {
    const at = now();
    await fetch(`http://127.0.0.1:${barePort}/emit?seq=${seq}`, { method: "POST" });
    return at;
  });
  const bareMemory = memoryOf(bare.pid!);
  const baseline = await bareClients.finish(bareSentAt);
  bare.kill("SIGTERM");

  const result = {
    scenario,
    realtime: {
      ...figures,
      p50Ms: round(figures.p50Ms, 2),
      p99Ms: round(figures.p99Ms, 2),
      maxMs: round(figures.maxMs, 2),
      connectSeconds: round(connectSeconds, 2),
      memory: { idle, connected: connectedMemory, underLoad: loadedMemory },
    },
    // A customer's message in a conversation of one of the agents, 20 such agents in turn: the worker's notifier makes the
    // notification and its person's socket gets notification.created. From the message's commit to that socket.
    notifications: { ...notifications, p50Ms: round(notifications.p50Ms, 2), p99Ms: round(notifications.p99Ms, 2), maxMs: round(notifications.maxMs, 2) },
    baselineBareSocketIo: { ...baseline, p50Ms: round(baseline.p50Ms, 2), p99Ms: round(baseline.p99Ms, 2), maxMs: round(baseline.maxMs, 2), memory: bareMemory },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

  await appPool.end();
  await systemPool.end();
  await sleep(500);
  await database.close();
}
