/**
 * Automatic assignment under concurrency (issue #16): three web processes and two workers,
 * started as their npm scripts start them, on the machine's PostgreSQL, with the Telegram
 * Bot API emulator as Telegram. 1,000 customers write to three bots whose webhooks go to the
 * three web processes; 20 agents are online with a capacity of 10; both workers route. Then the
 * agents resolve what they have, through all three web processes, until the queue is empty.
 * From the event log, replayed in order, it checks:
 *
 *  a) no agent ever has more than 10 open conversations;
 *  b) every conversation is assigned exactly once (no returns here), 200 on arrival (`auto`)
 *     and 800 after waiting (`queue`);
 *  c) the queue empties in order: the waiting conversations are given out oldest first.
 *
 * Run: node --import tsx scripts/assignment-concurrency.ts (uses the web build; makes it when
 * missing). Five processes at full load hold about 100 PostgreSQL connections, a default server's
 * whole `max_connections`, so the run starts an embedded PostgreSQL of its own (as `npm start`
 * does, 300 connections) unless ASSIGNMENT_DATABASE_URL names a server (it then creates and
 * drops a database there). Prints figures; asserts no timings.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { TelegramEmulator } from "@/e2e/telegram-emulator/emulator";
import { startEmbeddedPostgres } from "@/server/db/embedded";
import { freePort } from "@/server/test/free-port";
import { runScript } from "@/server/test/run-script";
import { apiClient, type ApiClient } from "./scale-out/api";
import { startProcess, type ProductProcess } from "./scale-out/processes";

const root = path.resolve(import.meta.dirname, "..");
const givenDatabaseUrl = process.env.ASSIGNMENT_DATABASE_URL;
const CUSTOMERS = 1000;
const AGENTS = 20;
const CAPACITY = 10;
const WEBS = 3;
const RUN_TIMEOUT_MS = 8 * 60_000;

class CheckFailed extends Error {}
function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}
const say = (text: string) => console.log(`assignment: ${text}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new CheckFailed(`timed out after ${seconds(timeoutMs)} waiting for ${what}`);
    await sleep(100);
  }
}

const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
const onCleanup = (what: string, run: () => Promise<unknown>) => cleanups.push({ what, run });
async function cleanUp(): Promise<void> {
  for (const { what, run } of cleanups.splice(0).reverse()) {
    try {
      await run();
    } catch (error) {
      console.error(`assignment: cleaning up (${what}) failed: ${(error as Error).message}`);
    }
  }
}

async function adminDatabaseUrl(): Promise<string> {
  if (givenDatabaseUrl) return givenDatabaseUrl;
  const dir = mkdtempSync(path.join(tmpdir(), "sc-assignment-pg-"));
  chmodSync(dir, 0o711); // as root, the embedded database runs as the postgres user
  const cluster = await startEmbeddedPostgres({ dir: path.join(dir, "postgres"), port: await freePort(), password: "assignment-run-only", ephemeral: true });
  onCleanup("stop the embedded database", async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return cluster.url();
}

async function createDatabase(): Promise<string> {
  const adminUrl = await adminDatabaseUrl();
  const name = `assign_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  onCleanup(`drop database ${name}`, () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(env: Record<string, string>, args: string[]): Promise<Record<string, string>> {
  const result = await runScript("server/cli/admin.ts", [...args, "--json"], { env, timeoutMs: 60_000 });
  check(result.code === 0, `admin ${args[0]} failed: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as Record<string, string>;
}

type LoggedEvent = { id: string; type: string; conversationId: string; payload: { conversation?: { assignee?: { id: string } | null; status?: string }; reason?: string; status?: string } };

async function run(): Promise<void> {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    say("no web build (.next/BUILD_ID); running npm run build once");
    check(spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" }).status === 0, "npm run build failed");
  }
  const databaseUrl = await createDatabase();
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  onCleanup("close the inspection pool", () => db.end());
  const dataDir = mkdtempSync(path.join(tmpdir(), "sc-assignment-"));
  chmodSync(dataDir, 0o711);
  onCleanup("remove the data folder", async () => rmSync(dataDir, { recursive: true, force: true }));
  const emulator = new TelegramEmulator({ retryBaseMs: 100, retryMaxMs: 2000 });
  const telegramUrl = await emulator.start();
  onCleanup("stop the Telegram emulator", () => emulator.stop());
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    APP_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    TELEGRAM_API_ROOT: telegramUrl,
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
    DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const migrated = await runScript("server/cli/migrate.ts", [], { env, timeoutMs: 120_000 });
  check(migrated.code === 0, `npm run db:migrate failed: ${migrated.stderr.trim()}`);
  const slug = `assign-${randomBytes(3).toString("hex")}`;
  const tenant = await admin(env, ["tenant:create", "--name", "Assignment run", "--slug", slug]);
  // A key per web process: 1,000 resolutions through one would pass an API key's 600 calls a minute.
  const keys: string[] = [];
  for (let i = 0; i < WEBS; i++) {
    keys.push((await admin(env, ["apikey:create", "--tenant", slug, "--name", `assignment ${i}`, "--scopes", "conversations:read,conversations:write,messages:write,contacts:read,admin"])).key!);
  }
  const tenantId = tenant.tenantId!;
  // Twenty agents online with a capacity of 10; no inbox is open in this run, so the offline grace is a day.
  const agents: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const { rows } = await db.query<{ id: string }>(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES (gen_random_uuid(), $1, $2, now()) RETURNING id`, [`agent${i}@${slug}.example`, `Agent ${i}`]);
    await db.query(`INSERT INTO "Membership" (id, "tenantId", "userId", role, availability, capacity, "lastSeenAt", "updatedAt") VALUES (gen_random_uuid(), $1, $2, 'agent', 'online', $3, now(), now())`, [tenantId, rows[0]!.id, CAPACITY]);
    agents.push(rows[0]!.id);
  }
  await db.query(
    `INSERT INTO "TenantSettings" ("tenantId", values, version, "updatedAt") VALUES ($1, $2, 1, now())
     ON CONFLICT ("tenantId") DO UPDATE SET values = "TenantSettings".values || $2`,
    [tenantId, JSON.stringify({ assignment: { defaultCapacity: CAPACITY, offlineAfterMinutes: 1440, onlineOnSignIn: false } })],
  );

  // ---- three web processes, two workers ------------------------------------------------------
  const ports = await Promise.all([...Array(WEBS)].map(() => freePort()));
  const workerPorts = [await freePort(), await freePort()];
  const webUrls = ports.map((port) => `http://127.0.0.1:${port}`);
  const processes: ProductProcess[] = [
    ...ports.map((port, i) => startProcess(`web ${i + 1}`, "web", { ...env, PORT: String(port), PUBLIC_URL: webUrls[i]! })),
    ...workerPorts.map((port, i) => startProcess(`worker ${i + 1}`, "worker", { ...env, WORKER_PORT: String(port) })),
  ];
  onCleanup("kill the processes", () => Promise.all(processes.map((p) => p.kill("SIGKILL"))));
  const logDir = path.join(root, "test-results", "assignment");
  onCleanup("keep the logs", async () => {
    mkdirSync(logDir, { recursive: true });
    for (const p of processes) writeFileSync(path.join(logDir, `${p.name.replace(/\s+/g, "-")}.log`), `${p.lines.join("\n")}\n`);
  });
  await Promise.all([
    ...processes.slice(0, WEBS).map((p, i) => p.waitReady(`${webUrls[i]}/api/health/ready`)),
    ...processes.slice(WEBS).map((p, i) => p.waitReady(`http://127.0.0.1:${workerPorts[i]}/health/ready`)),
  ]);
  say(`${WEBS} web processes and 2 workers are up`);
  const apis: ApiClient[] = webUrls.map((url, i) => apiClient(url, { apiKey: keys[i]! }));

  // A bot per web process (its webhook goes there), each channel's policy round robin.
  const bots = [];
  for (let i = 0; i < WEBS; i++) {
    const bot = emulator.addBot(`${8_100_000 + i}:${randomBytes(26).toString("base64url")}`, `assign_${i}_bot`);
    const channel = await apis[i]!.channels.connectTelegram.mutate({ token: bot.token, mode: "webhook" });
    check(bot.webhook?.url.startsWith(`${webUrls[i]}/`), `bot ${i}'s webhook should go to web ${i + 1}`);
    await apis[i]!.assignment.updatePolicy.mutate({ channelId: channel.id, mode: i === 1 ? "balanced" : "round_robin", returnAfterMinutes: null });
    bots.push(bot);
  }

  // ---- 1,000 customers write ------------------------------------------------------------------
  const started = performance.now();
  for (let i = 0; i < CUSTOMERS; i++) {
    const chatId = 500_000 + i;
    emulator.customerMessage(bots[i % WEBS]!.token, { chat: { id: chatId, type: "private", first_name: `Customer ${i}` }, from: { id: chatId, is_bot: false, first_name: `Customer ${i}` }, content: { text: `hello ${i}` } });
  }
  const count = async (sql: string) => (await db.query<{ n: number }>(sql, [tenantId])).rows[0]!.n;
  await waitFor("1,000 conversations", async () => (await count(`SELECT count(*)::int AS n FROM "Conversation" WHERE "tenantId" = $1`)) === CUSTOMERS);
  const taken = performance.now() - started;
  // Decided: each one assigned, or waiting for room.
  await waitFor("every conversation to be assigned or waiting", async () => (await count(`SELECT count(*)::int AS n FROM "Conversation" WHERE "tenantId" = $1 AND "queuedAt" IS NOT NULL AND NOT "queueWaiting"`)) === 0);
  const assigned = await count(`SELECT count(*)::int AS n FROM "Conversation" WHERE "tenantId" = $1 AND "assigneeId" IS NOT NULL`);
  const waiting = await count(`SELECT count(*)::int AS n FROM "Conversation" WHERE "tenantId" = $1 AND "queueWaiting"`);
  say(`1,000 conversations taken in through ${WEBS} web processes in ${seconds(taken)}; ${assigned} assigned, ${waiting} waiting, after ${seconds(performance.now() - started)}`);
  check(assigned === AGENTS * CAPACITY && waiting === CUSTOMERS - assigned, `${AGENTS} agents with capacity ${CAPACITY} should have 200 and 800 should wait; ${assigned} were assigned and ${waiting} wait`);

  // ---- the agents resolve what they have, through every web process, until nothing waits --------
  const drainStarted = performance.now();
  let resolved = 0;
  let lane = 0;
  while (resolved < CUSTOMERS) {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM "Conversation" WHERE "tenantId" = $1 AND status = 'open' AND "assigneeId" IS NOT NULL ORDER BY random() LIMIT 60`, [tenantId]);
    if (rows.length === 0) {
      check(performance.now() - drainStarted < 120_000, "conversations wait, but nobody was given any for two minutes");
      await sleep(50);
      continue;
    }
    await Promise.all(rows.map((row) => apis[lane++ % WEBS]!.conversations.update.mutate({ id: row.id, status: "resolved" })));
    resolved += rows.length;
  }
  say(`the agents resolved 1,000 conversations in ${seconds(performance.now() - drainStarted)}, the queue emptying as they did`);

  // ---- the checks, from the event log -----------------------------------------------------------
  const { rows: events } = await db.query<LoggedEvent>(
    `SELECT id::text, type, "conversationId", payload FROM "Event" WHERE "tenantId" = $1 AND type IN ('assignee.changed', 'conversation.status_changed') ORDER BY id`,
    [tenantId],
  );
  const holder = new Map<string, string | null>();
  const open = new Map<string, boolean>();
  const load = new Map<string, number>();
  let peak = 0;
  const assignedTimes = new Map<string, number>();
  const reasons = { auto: 0, queue: 0, other: 0 };
  const fromQueue: string[] = [];
  for (const event of events) {
    const wasOpen = open.get(event.conversationId) ?? true;
    const before = holder.get(event.conversationId) ?? null;
    if (before && wasOpen) load.set(before, load.get(before)! - 1);
    if (event.type === "assignee.changed") {
      const after = event.payload.conversation?.assignee?.id ?? null;
      holder.set(event.conversationId, after);
      assignedTimes.set(event.conversationId, (assignedTimes.get(event.conversationId) ?? 0) + 1);
      if (event.payload.reason === "auto") reasons.auto++;
      else if (event.payload.reason === "queue") {
        reasons.queue++;
        fromQueue.push(event.conversationId);
      } else reasons.other++;
    } else {
      // Intake's reopening names the status; an agent's change carries the conversation.
      open.set(event.conversationId, (event.payload.status ?? event.payload.conversation?.status) === "open");
    }
    const now = holder.get(event.conversationId);
    if (now && (open.get(event.conversationId) ?? true)) {
      const n = (load.get(now) ?? 0) + 1;
      load.set(now, n);
      peak = Math.max(peak, n);
      check(n <= CAPACITY, `agent ${now} had ${n} open conversations after event ${event.id}`);
    }
  }
  say(`a) the most open conversations any agent had at any moment: ${peak} (capacity ${CAPACITY})`);
  check(assignedTimes.size === CUSTOMERS, `${assignedTimes.size} conversations were assigned, not ${CUSTOMERS}`);
  const twice = [...assignedTimes.values()].filter((n) => n !== 1).length;
  check(twice === 0, `${twice} conversations were assigned more than once`);
  check(reasons.other === 0, `${reasons.other} assignments had another reason than auto or queue`);
  check(reasons.auto === AGENTS * CAPACITY && reasons.queue === CUSTOMERS - AGENTS * CAPACITY, `expected 200 auto and 800 queue assignments, got ${reasons.auto} and ${reasons.queue}`);
  say(`b) every one of the 1,000 conversations was assigned exactly once: ${reasons.auto} on arrival, ${reasons.queue} from the queue`);
  const { rows: created } = await db.query<{ id: string; createdAt: Date }>(`SELECT id, "createdAt" FROM "Conversation" WHERE "tenantId" = $1`, [tenantId]);
  const order = new Map(created.map((row) => [row.id, row]));
  let outOfOrder = 0;
  for (let i = 1; i < fromQueue.length; i++) {
    const a = order.get(fromQueue[i - 1]!)!;
    const b = order.get(fromQueue[i]!)!;
    if (a.createdAt.getTime() > b.createdAt.getTime() || (a.createdAt.getTime() === b.createdAt.getTime() && a.id > b.id)) outOfOrder++;
  }
  check(outOfOrder === 0, `${outOfOrder} waiting conversations were given out before an older one`);
  say(`c) the ${fromQueue.length} waiting conversations were given out oldest first`);
  const { rows: passes } = await db.query<{ transactions: number; routers: number }>(
    `SELECT count(DISTINCT "createdAt")::int AS transactions, count(DISTINCT "requestId")::int AS routers FROM "Event" WHERE "tenantId" = $1 AND type = 'assignee.changed'`,
    [tenantId],
  );
  say(`figures: ${events.length} events replayed; ${passes[0]!.transactions} routing transactions of ${passes[0]!.routers} worker(s) assigned the 1,000`);
  for (const p of processes) check(p.running(), `${p.name} exited during the run:\n${p.lines.slice(-10).join("\n")}`);
}

async function main(): Promise<number> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new CheckFailed(`the run took over ${seconds(RUN_TIMEOUT_MS)}`)), RUN_TIMEOUT_MS).unref());
  try {
    await Promise.race([run(), timeout]);
    say("PASSED");
    return 0;
  } catch (error) {
    console.error(`assignment: FAILED: ${error instanceof CheckFailed ? error.message : (error as Error).stack}`);
    return 1;
  } finally {
    await cleanUp();
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`assignment: ${signal}, cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}
process.exit(await main());
