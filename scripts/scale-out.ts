/**
 * The scale-out test (issue #8, item 7): two web, two realtime and two worker
 * processes, started as their npm scripts start them, on the machine's real
 * PostgreSQL and Redis, with the Telegram Bot API emulator as Telegram. It proves:
 *
 *  a) an agent socket on realtime node A receives what was caused through web
 *     node B (a customer's webhook, an agent's note), and what crosses nodes
 *     through Redis (typing, presence) reaches the other node;
 *  b) 500 replies sent through both web nodes (alternating, over 50 chats of two
 *     workspaces, by API key and by signed-in agent) reach Telegram exactly once
 *     each, in each chat's order, delivered by both workers;
 *  c) SIGKILL of one worker and one realtime node mid-run loses nothing: the
 *     survivor takes the dead worker's jobs over (stale locks), and the sockets
 *     of the dead node reconnect to the other one (through the balancer in front
 *     of them) and catch up on every message event, exactly once;
 *  d) no secret appears in any process's log at debug level, and every log
 *     line is JSON; every survivor exits 0 on SIGTERM;
 *  e) one request id follows each reply from the web node's request line to
 *     the worker's job lines and the realtime nodes' emit lines (and each
 *     webhook's id to its emits).
 *
 * Delivery to Telegram is at-least-once (it has no idempotency key): a reply
 * Telegram accepted from the killed worker in the moment before that worker
 * could record it is sent again by the survivor. The check allows exactly that
 * case — first copy before the kill, second after the takeover, adjacent in the
 * chat, the record pointing at the second, at most one per job the worker ran
 * at once — and fails on any other repeat.
 *
 * Run: node --import tsx scripts/scale-out.ts
 * Uses SCALE_OUT_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres,
 * where it creates and drops a database of its own) and SCALE_OUT_REDIS_URL
 * (default redis://127.0.0.1:6379/7, a Redis database apart from other tests').
 * Prints figures; asserts no timings. Exits 1 naming the first failed check.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { TelegramEmulator } from "@/e2e/telegram-emulator/emulator";
import { createRealtimeClient, type RealtimeClient } from "@/lib/realtime/client";
import type { AckAnswer, PresenceSignal, RealtimeEvent, RealtimeSync, TypingSignal } from "@/lib/realtime/events";
import { freePort } from "@/server/test/free-port";
import { runScript } from "@/server/test/run-script";
import { apiClient, signIn, type ApiClient } from "./scale-out/api";
import { startFailoverProxy } from "./scale-out/failover-proxy";
import { startProcess, type ProductProcess } from "./scale-out/processes";

const root = path.resolve(import.meta.dirname, "..");
const adminDatabaseUrl = process.env.SCALE_OUT_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.SCALE_OUT_REDIS_URL ?? "redis://127.0.0.1:6379/7";

const CHATS_PER_WORKSPACE = 25;
const REPLIES_PER_CHAT = 10;
const TOTAL_REPLIES = 2 * CHATS_PER_WORKSPACE * REPLIES_PER_CHAT;
/** The kills come once this many replies reached Telegram, with most still to go. */
const KILL_AFTER_DELIVERED = 150;
/** Chats whose replies are being sent at the same time (each chat's replies one after another). */
const SEND_LANES = 16;
/** The whole run, whatever happens. */
const RUN_TIMEOUT_MS = 6 * 60_000;
const MESSAGE_EVENTS = new Set(["message.created", "message.updated"]);

class CheckFailed extends Error {}
let passed = false;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

const say = (text: string) => console.log(`scale-out: ${text}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new CheckFailed(`timed out after ${seconds(timeoutMs)} waiting for ${what}`);
    await sleep(50);
  }
}

/** What tears the run down, newest first, even after a failure. */
const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
const onCleanup = (what: string, run: () => Promise<unknown>) => cleanups.push({ what, run });

async function cleanUp(): Promise<void> {
  for (const { what, run } of cleanups.splice(0).reverse()) {
    try {
      await run();
    } catch (error) {
      console.error(`scale-out: cleaning up (${what}) failed: ${(error as Error).message}`);
    }
  }
}

// ---- set-up ------------------------------------------------------------------------------

function ensureBuild(): void {
  if (existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  say("no web build (.next/BUILD_ID); running npm run build once");
  const result = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  check(result.status === 0, `npm run build failed (exit ${result.status})`);
}

async function createDatabase(): Promise<string> {
  const name = `scaleout_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminDatabaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  onCleanup(`drop database ${name}`, () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

type Agent = { name: string; email: string; password: string; userId: string; session?: string };
type Chat = { chatId: number; conversationId: string };
type Workspace = {
  slug: string;
  tenantId: string;
  apiKey: string;
  bot: { token: string };
  channelId: string;
  webhookSecret: string;
  agents: [Agent, Agent];
  chats: Chat[];
};

/** The operator's CLI, as in production (`npm run admin -- … --json`). */
async function admin(env: Record<string, string>, args: string[], stdin?: string): Promise<Record<string, string>> {
  const result = await runScript("server/cli/admin.ts", [...args, "--json"], { env, stdin, timeoutMs: 60_000 });
  check(result.code === 0, `admin ${args[0]} failed: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as Record<string, string>;
}

async function createWorkspace(env: Record<string, string>, slug: string, agentNames: [string, string]): Promise<Omit<Workspace, "bot" | "channelId" | "webhookSecret" | "chats">> {
  const tenant = await admin(env, ["tenant:create", "--name", `Scale ${slug}`, "--slug", slug]);
  const agents = [] as unknown as [Agent, Agent];
  for (const name of agentNames) {
    const email = `${name}@${slug}.example`;
    const password = randomBytes(18).toString("base64url");
    const user = await admin(env, ["user:create", "--tenant", slug, "--email", email, "--role", "agent", "--password-stdin"], password);
    agents.push({ name, email, password, userId: user.userId! });
  }
  const key = await admin(env, ["apikey:create", "--tenant", slug, "--name", "scale-out", "--scopes", "conversations:read,conversations:write,messages:write,contacts:read,admin"]);
  const apiKey = key.key;
  check(apiKey !== undefined && apiKey.startsWith("sck_"), "admin apikey:create printed no key");
  return { slug, tenantId: tenant.tenantId!, apiKey, agents };
}

// ---- the agents' browsers ------------------------------------------------------------------

/** An agent's inbox connection, as the browser makes it: the product's realtime client, tokens from one web node. */
type Watcher = {
  agent: Agent;
  client: RealtimeClient;
  events: RealtimeEvent[];
  syncs: RealtimeSync[];
  typing: (TypingSignal & { typing: boolean })[];
  presence: PresenceSignal[];
  statuses: string[];
};

function watch(agent: Agent, api: ApiClient): Watcher {
  const watcher: Omit<Watcher, "client"> = { agent, events: [], syncs: [], typing: [], presence: [], statuses: [] };
  const client = createRealtimeClient({
    getToken: () => api.realtime.token.query(),
    onEvent: (event) => watcher.events.push(event),
    onSync: (sync) => watcher.syncs.push(sync),
    onTyping: (signal) => watcher.typing.push(signal),
    onPresence: (signal) => watcher.presence.push(signal),
    onStatus: (status, detail) => watcher.statuses.push(detail ? `${status} (${detail})` : status),
  });
  return { ...watcher, client };
}

async function connectedSockets(realtimePort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${realtimePort}/metrics`)).text();
  const line = /^realtime_connected_sockets(?:\{[^}]*\})? (\d+)/m.exec(text);
  check(line, `realtime on port ${realtimePort} exports no realtime_connected_sockets`);
  return Number(line[1]);
}

// ---- the run -------------------------------------------------------------------------------

async function run(): Promise<void> {
  ensureBuild();
  const databaseUrl = await createDatabase();
  const inspect = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  onCleanup("close the inspection pool", () => inspect.end());
  const dataDir = mkdtempSync(path.join(tmpdir(), "sc-scale-out-"));
  chmodSync(dataDir, 0o711);
  onCleanup("remove the data folder", async () => rmSync(dataDir, { recursive: true, force: true }));

  const emulator = new TelegramEmulator({ retryBaseMs: 100, retryMaxMs: 2000 });
  const telegramUrl = await emulator.start();
  onCleanup("stop the Telegram emulator", () => emulator.stop());

  const secrets = { APP_SECRET: randomBytes(32).toString("base64url"), ENCRYPTION_KEY: randomBytes(32).toString("hex") };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    ...secrets,
    TELEGRAM_API_ROOT: telegramUrl,
    LOG_LEVEL: "debug",
    LOG_FORMAT: "json",
    // A worker that is gone keeps its jobs locked this long before another takes them over.
    JOB_STALE_LOCK_SECONDS: "2",
    DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };

  // Migrations as a release step, then the workspaces through the operator's CLI.
  const migrated = await runScript("server/cli/migrate.ts", [], { env, timeoutMs: 120_000 });
  check(migrated.code === 0, `npm run db:migrate failed: ${migrated.stderr.trim()}`);
  const north = await createWorkspace(env, `north-${randomBytes(3).toString("hex")}`, ["ann", "bob"]);
  const south = await createWorkspace(env, `south-${randomBytes(3).toString("hex")}`, ["cat", "dan"]);

  // ---- six processes, two balancers --------------------------------------------------------
  const port = { webA: await freePort(), webB: await freePort(), rtA: await freePort(), rtB: await freePort(), wkA: await freePort(), wkB: await freePort() };
  // Browsers reach realtime through a balancer: web A hands out one that prefers node A, web B one that prefers node B.
  const balancerA = await startFailoverProxy([port.rtA, port.rtB]);
  const balancerB = await startFailoverProxy([port.rtB, port.rtA]);
  onCleanup("stop the balancers", () => Promise.all([balancerA.close(), balancerB.close()]));
  const webUrl = { A: `http://127.0.0.1:${port.webA}`, B: `http://127.0.0.1:${port.webB}` };

  // How many PostgreSQL connections the six processes use at most (a figure: max_connections is often 100).
  let peakConnections = 0;
  let peakByProcess = "";
  const sampler = setInterval(() => {
    inspect
      .query<{ app: string; n: number }>(
        `SELECT coalesce(nullif(application_name, ''), '?') AS app, count(*)::int AS n
           FROM pg_stat_activity WHERE datname = current_database() GROUP BY 1 ORDER BY 1`,
      )
      .then(({ rows }) => {
        const total = rows.reduce((sum, row) => sum + row.n, 0);
        if (total <= peakConnections) return;
        peakConnections = total;
        peakByProcess = rows.map((row) => `${row.app.replace(/^support-chat-/, "")} ${row.n}`).join(", ");
      }, () => undefined);
  }, 500);
  onCleanup("stop sampling connections", async () => clearInterval(sampler));

  const started = performance.now();
  const webA = startProcess("web A", "web", { ...env, PORT: String(port.webA), PUBLIC_URL: webUrl.A, REALTIME_PUBLIC_URL: balancerA.url });
  const webB = startProcess("web B", "web", { ...env, PORT: String(port.webB), PUBLIC_URL: webUrl.B, REALTIME_PUBLIC_URL: balancerB.url });
  const realtimeA = startProcess("realtime A", "realtime", { ...env, REALTIME_PORT: String(port.rtA), PUBLIC_URL: webUrl.A });
  const realtimeB = startProcess("realtime B", "realtime", { ...env, REALTIME_PORT: String(port.rtB), PUBLIC_URL: webUrl.B });
  const workerA = startProcess("worker A", "worker", { ...env, WORKER_PORT: String(port.wkA) });
  const workerB = startProcess("worker B", "worker", { ...env, WORKER_PORT: String(port.wkB) });
  const processes = [webA, webB, realtimeA, realtimeB, workerA, workerB];
  const killedOnPurpose = new Set<ProductProcess>();
  let stopping = false;
  onCleanup("kill the processes", () => Promise.all(processes.map((p) => p.kill("SIGKILL"))));
  // Their logs are kept, for a look after a failure and for CI's secrets check (scripts/check-log-secrets.ts).
  const logDir = path.join(root, "test-results", "scale-out");
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  onCleanup("keep the logs", async () => {
    for (const p of processes) writeFileSync(path.join(logDir, `${p.name.replace(" ", "-")}.log`), `${p.lines.join("\n")}\n`);
    if (!passed) console.error(`scale-out: the processes' logs are in ${logDir}`);
  });
  // A process that dies by itself fails the run at once.
  const crashed = new Promise<never>((_, reject) => {
    for (const p of processes) {
      void p.exited.then(() => {
        if (stopping || killedOnPurpose.has(p)) return;
        reject(new CheckFailed(`${p.name} exited by itself (${p.child.exitCode ?? p.child.signalCode}):\n${p.lines.slice(-15).join("\n")}`));
      });
    }
  });
  crashed.catch(() => undefined);
  const guarded = <T>(promise: Promise<T>) => Promise.race([promise, crashed]);

  await guarded(
    Promise.all([
      webA.waitReady(`${webUrl.A}/api/health/ready`),
      webB.waitReady(`${webUrl.B}/api/health/ready`),
      realtimeA.waitReady(`http://127.0.0.1:${port.rtA}/health/ready`),
      realtimeB.waitReady(`http://127.0.0.1:${port.rtB}/health/ready`),
      workerA.waitReady(`http://127.0.0.1:${port.wkA}/health/ready`),
      workerB.waitReady(`http://127.0.0.1:${port.wkB}/health/ready`),
    ]),
  );
  const startupMs = performance.now() - started;
  say(`six processes ready in ${seconds(startupMs)}`);

  // ---- Telegram: a bot per workspace, webhooks to different web nodes, 25 customers each ------
  const connectBot = async (workspace: typeof north, botId: number, web: "A" | "B"): Promise<Workspace> => {
    const bot = emulator.addBot(`${botId}:${randomBytes(26).toString("base64url")}`, `scale_${botId}_bot`);
    const channel = await apiClient(webUrl[web], { apiKey: workspace.apiKey }).channels.connectTelegram.mutate({ token: bot.token, mode: "webhook" });
    check(bot.webhook?.url.startsWith(`${webUrl[web]}/`), `the ${workspace.slug} bot's webhook should go to web ${web}, it goes to ${bot.webhook?.url}`);
    const row = await inspect.query<{ webhookSecret: string }>(`SELECT "webhookSecret" FROM "TelegramChannel" WHERE "channelId" = $1`, [channel.id]);
    return { ...workspace, bot: { token: bot.token }, channelId: channel.id, webhookSecret: row.rows[0]!.webhookSecret, chats: [] };
  };
  // North's customers write through web B, south's through web A.
  const workspaces = [await guarded(connectBot(north, 7_100_001, "B")), await guarded(connectBot(south, 7_100_002, "A"))] as const;
  const [n, s] = workspaces;
  const customer = (chatId: number) => ({ chat: { id: chatId, type: "private" as const, first_name: `Customer ${chatId}` }, from: { id: chatId, is_bot: false as const, first_name: `Customer ${chatId}` } });
  for (const [index, workspace] of workspaces.entries()) {
    for (let i = 1; i <= CHATS_PER_WORKSPACE; i++) emulator.customerMessage(workspace.bot.token, { ...customer((index + 1) * 100_000 + i), content: { text: `hello ${i}` } });
  }
  for (const workspace of workspaces) {
    await guarded(
      waitFor(`the ${workspace.slug} customers' conversations`, async () => {
        const { rows } = await inspect.query<{ externalChatId: string; id: string }>(`SELECT "externalChatId", id FROM "Conversation" WHERE "channelId" = $1`, [workspace.channelId]);
        workspace.chats = rows.map((row) => ({ chatId: Number(row.externalChatId), conversationId: row.id })).sort((a, b) => a.chatId - b.chatId);
        return workspace.chats.length === CHATS_PER_WORKSPACE;
      }),
    );
  }

  // ---- agents sign in; ann and cat watch through node A, bob and dan through node B --------------
  const sessionApi = (workspace: Workspace, agent: Agent, web: "A" | "B") => apiClient(webUrl[web], { session: agent.session!, tenantSlug: workspace.slug });
  n.agents[0].session = await guarded(signIn(webUrl.A, n.agents[0].email, n.agents[0].password));
  n.agents[1].session = await guarded(signIn(webUrl.B, n.agents[1].email, n.agents[1].password));
  s.agents[0].session = await guarded(signIn(webUrl.A, s.agents[0].email, s.agents[0].password));
  s.agents[1].session = await guarded(signIn(webUrl.B, s.agents[1].email, s.agents[1].password));
  const ann = watch(n.agents[0], sessionApi(n, n.agents[0], "A"));
  const cat = watch(s.agents[0], sessionApi(s, s.agents[0], "A"));
  const watchers: Watcher[] = [ann, cat];
  onCleanup("close the agents' sockets", async () => watchers.forEach((w) => w.client.close()));
  await guarded(waitFor("ann and cat to connect", () => ann.syncs.length > 0 && cat.syncs.length > 0));
  const bob = watch(n.agents[1], sessionApi(n, n.agents[1], "B"));
  const dan = watch(s.agents[1], sessionApi(s, s.agents[1], "B"));
  watchers.push(bob, dan);
  await guarded(waitFor("bob and dan to connect", () => bob.syncs.length > 0 && dan.syncs.length > 0));
  check((await connectedSockets(port.rtA)) === 2 && (await connectedSockets(port.rtB)) === 2, "each realtime node should hold two of the four agents' sockets");
  /** Where each agent's stream began: every message event after it must reach the agent. */
  const firstPosition = new Map(watchers.map((w) => [w, w.syncs[0]!.lastEventId ?? "0"]));

  // ---- a) what happens through one node reaches the other -----------------------------------------
  const sawMessage = (w: Watcher, predicate: (message: Record<string, unknown>) => boolean) =>
    w.events.some((event) => event.type === "message.created" && predicate(event.data.message as Record<string, unknown>));
  const northChat = n.chats[0]!;
  emulator.customerMessage(n.bot.token, { ...customer(northChat.chatId), content: { text: "a customer's message through web B" } });
  await guarded(waitFor("ann (node A) to receive the customer's message that came in through web B", () => sawMessage(ann, (m) => m.text === "a customer's message through web B")));
  const note = await sessionApi(n, n.agents[1], "B").messages.send.mutate({ conversationId: northChat.conversationId, text: "bob's note through web B", isPrivate: true });
  await guarded(waitFor("ann (node A) to receive bob's note sent through web B", () => sawMessage(ann, (m) => m.id === note.id)));
  const southNote = await sessionApi(s, s.agents[0], "A").messages.send.mutate({ conversationId: s.chats[0]!.conversationId, text: "cat's note through web A", isPrivate: true });
  await guarded(waitFor("dan (node B) to receive cat's note sent through web A", () => sawMessage(dan, (m) => m.id === southNote.id)));
  // Through Redis (Socket.IO's adapter and presence): bob, on node B, comes online and types; ann, on node A, sees both.
  await guarded(waitFor("ann (node A) to see bob (node B) online", () => ann.presence.some((p) => p.userId === n.agents[1].userId && p.status === "online")));
  const acked = async (what: string, answer: Promise<AckAnswer<object>>) => {
    const result = await answer;
    check(result.ok, `${what} was refused: ${JSON.stringify(result)}`);
  };
  await acked("ann joining the conversation", ann.client.joinConversation(northChat.conversationId));
  await acked("bob joining the conversation", bob.client.joinConversation(northChat.conversationId));
  await acked("bob's typing", bob.client.setTyping(northChat.conversationId, true));
  await guarded(waitFor("ann (node A) to see bob (node B) typing", () => ann.typing.some((t) => t.userId === n.agents[1].userId && t.typing), 10_000));
  say("a) node A's agents see what was done through web B and node B (events, presence, typing)");

  // ---- b) 500 replies through both web nodes, and c) the kills in the middle ----------------------
  const textOf = (chatId: number, i: number) => `reply ${String(i + 1).padStart(2, "0")} to chat ${chatId}`;
  const expected = new Map<number, string[]>();
  for (const workspace of workspaces) for (const chat of workspace.chats) expected.set(chat.chatId, Array.from({ length: REPLIES_PER_CHAT }, (_, i) => textOf(chat.chatId, i)));
  // North replies by API key, south by a signed-in agent; each chat's replies alternate between web A and web B.
  const senders = new Map<Workspace, Record<"A" | "B", ApiClient>>([
    [n, { A: apiClient(webUrl.A, { apiKey: n.apiKey }), B: apiClient(webUrl.B, { apiKey: n.apiKey }) }],
    [s, { A: sessionApi(s, s.agents[0], "A"), B: sessionApi(s, s.agents[0], "B") }],
  ]);
  const lanes = workspaces.flatMap((workspace) => workspace.chats.map((chat) => ({ workspace, chat })));
  lanes.sort((a, b) => (a.chat.chatId % 100_000) - (b.chat.chatId % 100_000) || a.chat.chatId - b.chat.chatId);
  const isReply = (text: string | undefined) => text?.startsWith("reply ") ?? false;
  const deliveredReplies = () => workspaces.reduce((sum, w) => sum + emulator.sent(w.bot.token).filter((m) => isReply(m.text)).length, 0);

  const sendStarted = performance.now();
  let enqueuedMs = 0;
  const sending = (async () => {
    const queue = [...lanes];
    await Promise.all(
      Array.from({ length: SEND_LANES }, async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) {
          for (let i = 0; i < REPLIES_PER_CHAT; i++) {
            const text = textOf(lane.chat.chatId, i);
            await senders.get(lane.workspace)![i % 2 === 0 ? "A" : "B"].messages.send.mutate({ conversationId: lane.chat.conversationId, text, clientMessageId: text });
          }
        }
      }),
    );
    enqueuedMs = performance.now() - sendStarted;
  })();

  // The kills: once some replies are out, while most are still on their way.
  await guarded(waitFor(`${KILL_AFTER_DELIVERED} replies to reach Telegram`, () => deliveredReplies() >= KILL_AFTER_DELIVERED, 120_000));
  // Both workers' pools hold jobs at the kill, so worker A leaves some locked behind.
  let lockedBefore: string[] = [];
  await guarded(
    waitFor("both workers to be running jobs at once", async () => {
      const { rows } = await inspect.query<{ pool: string }>(`SELECT DISTINCT locked_by AS pool FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL`);
      lockedBefore = rows.map((row) => row.pool);
      return lockedBefore.length === 2;
    }),
  );
  const killedAt = performance.now();
  killedOnPurpose.add(workerA).add(realtimeA);
  await Promise.all([workerA.kill("SIGKILL"), realtimeA.kill("SIGKILL")]);
  /** Worker A is gone: Telegram cannot have accepted anything from it after this. */
  const killedAtWall = Date.now();
  const deliveredAtKill = deliveredReplies();
  say(`killed worker A and realtime A (SIGKILL) with ${deliveredAtKill} of ${TOTAL_REPLIES} replies delivered; both workers were running jobs`);
  check(deliveredAtKill < TOTAL_REPLIES, "every reply was delivered before the kills: the kills proved nothing; lower KILL_AFTER_DELIVERED");

  // Node A's agents come back through their balancer, now on node B, and catch up.
  const movedAgents = [ann, cat];
  const syncsBefore = new Map(movedAgents.map((w) => [w, w.syncs.length]));
  await guarded(waitFor("ann and cat to reconnect (to node B) and catch up", () => movedAgents.every((w) => w.syncs.length > syncsBefore.get(w)!), 30_000));
  const realtimeRecoveredMs = performance.now() - killedAt;
  check((await connectedSockets(port.rtB)) === 4, "all four agents' sockets should now be on realtime B");
  check(balancerA.connections.get(port.rtB)! >= 2, "node A's balancer sent no reconnecting socket to node B");
  // The survivor hands the dead worker's jobs back to the queue.
  const released = () => workerB.lines.map(parseJson).find((line) => line?.msg === "released jobs held by a worker that is gone");
  await guarded(waitFor("worker B to release the jobs worker A held", () => released() !== undefined, 60_000));
  const workerRecoveredMs = performance.now() - killedAt;
  const releasedAtWall = Date.parse(String(released()!.time));
  check(lockedBefore.includes(String(released()!.pool)), `worker B released pool ${String(released()!.pool)}, which held no job at the kill`);

  await guarded(sending);
  await guarded(waitFor(`all ${TOTAL_REPLIES} replies to reach Telegram`, () => deliveredReplies() >= TOTAL_REPLIES, 180_000).catch((error: Error) => {
    throw new CheckFailed(`${error.message}: ${deliveredReplies()} delivered`);
  }));
  const deliveredMs = performance.now() - sendStarted;
  // Anything sent twice would arrive within moments of the rest.
  await sleep(3000);

  // ---- b) checks: exactly once, in order, by both workers ------------------------------------------
  const stored = await inspect.query<{ id: string; text: string; deliveryStatus: string; externalId: string | null; chatId: string }>(
    `SELECT m.id, m.text, m."deliveryStatus", m."externalId", c."externalChatId" AS "chatId"
     FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
     WHERE m.direction = 'outbound' AND NOT m."isPrivate" AND m.text LIKE 'reply %'`,
  );
  check(stored.rows.length === TOTAL_REPLIES, `${stored.rows.length} replies stored, expected ${TOTAL_REPLIES}`);
  const notSent = stored.rows.filter((row) => row.deliveryStatus !== "sent");
  check(notSent.length === 0, `${notSent.length} replies are not marked sent: ${notSent.slice(0, 5).map((row) => `${row.text} (${row.deliveryStatus})`).join(", ")}`);
  const recorded = new Map(stored.rows.map((row) => [`${row.chatId}|${row.text}`, row.externalId]));
  // Delivery to Telegram is at-least-once by nature (README, Replies): a worker killed after Telegram accepted a
  // reply and before it recorded that sends nothing more, and the worker taking its job over sends that reply
  // again. Such a repeat is allowed only with exactly that signature; any other repeat fails.
  const crashRepeats: string[] = [];
  for (const workspace of workspaces) {
    for (const chat of workspace.chats) {
      const copies = emulator.sent(workspace.bot.token, chat.chatId).filter((m) => isReply(m.text));
      // A repeat can only follow its first copy at once: later replies of the chat wait for it.
      const distinct = copies.filter((m, i) => m.text !== copies[i - 1]?.text);
      const want = expected.get(chat.chatId)!;
      const got = distinct.map((m) => m.text!);
      const missing = want.filter((text) => !got.includes(text));
      check(missing.length === 0, `chat ${chat.chatId} never received: ${missing.join(", ")}`);
      check(got.join("|") === want.join("|"), `chat ${chat.chatId} received its replies out of order or twice:\n  got  ${copies.map((m) => m.text).join(", ")}\n  want ${want.join(", ")}`);
      for (const [i, again] of copies.entries()) {
        const first = copies[i - 1];
        if (!first || first.text !== again.text) continue;
        const when = `first copy ${first.at - killedAtWall} ms, second ${again.at - killedAtWall} ms after the kill`;
        check(first.at <= killedAtWall && again.at >= releasedAtWall, `chat ${chat.chatId} received "${again.text}" twice, not across the kill and the takeover (${when})`);
        check(recorded.get(`${chat.chatId}|${again.text}`) === String(again.message_id), `chat ${chat.chatId} received "${again.text}" twice although its first copy was recorded (${when})`);
        crashRepeats.push(`"${again.text}" (${when})`);
      }
    }
  }
  // A worker runs at most five jobs at once: no more replies than that can be caught in its last moments.
  check(crashRepeats.length <= 5, `${crashRepeats.length} replies were sent twice, more than worker A could have had in flight: ${crashRepeats.join("; ")}`);
  for (const row of stored.rows) {
    const token = workspaces.find((w) => w.chats.some((chat) => chat.chatId === Number(row.chatId)))!.bot.token;
    const onTelegram = emulator.sent(token, Number(row.chatId)).findLast((m) => m.text === row.text);
    check(onTelegram && row.externalId === String(onTelegram.message_id), `"${row.text}" is recorded as Telegram message ${row.externalId}, Telegram has ${onTelegram?.message_id}`);
  }
  // Each reply's job ended "sent" once, in one worker or the other. The only other ending: worker A sent it and
  // died before its job was marked done, so worker B ran the job again and found nothing left to send.
  const outcomes = (worker: ProductProcess, result: string) =>
    worker.lines.map(parseJson).filter((line) => line?.msg === "delivery job done" && line.result === result).map((line) => String(line!.messageId));
  const [byA, byB] = [outcomes(workerA, "sent"), outcomes(workerB, "sent")];
  const finished = [...byA, ...byB];
  check(byA.length > 0 && byB.length > 0, `both workers should deliver replies (worker A: ${byA.length}, worker B: ${byB.length})`);
  check(new Set(finished).size === finished.length, `some replies' jobs ended "sent" twice: ${finished.filter((id, i) => finished.indexOf(id) !== i).join(", ")}`);
  const replyIds = new Set(stored.rows.map((row) => row.id));
  check(finished.every((id) => replyIds.has(id)), "a delivery job ended \"sent\" for a message that is not one of the replies");
  const takenOver = outcomes(workerB, "skipped");
  const unfinished = stored.rows.filter((row) => !finished.includes(row.id));
  const unexplained = unfinished.filter((row) => !takenOver.includes(row.id));
  check(unexplained.length === 0, `${unexplained.length} replies' jobs never ended "sent": ${unexplained.slice(0, 5).map((row) => row.text).join(", ")}`);
  check(unfinished.length <= 5, `${unfinished.length} replies' jobs were finished by worker A but not marked done: more than it runs at once`);
  say(`b) ${TOTAL_REPLIES} replies reached Telegram, in each chat's order, delivered by both workers (worker A ${byA.length}, worker B ${byB.length}, ${unfinished.length} sent by worker A and found done by worker B)`);
  say(`   exactly once each, but for ${crashRepeats.length} that Telegram accepted from worker A just before it was killed and worker B sent again${crashRepeats.length ? `: ${crashRepeats.join("; ")}` : ""}`);

  // ---- c) checks: every agent saw every message event, exactly once ----------------------------------
  for (const w of watchers) {
    const workspace = workspaces.find((candidate) => candidate.agents.includes(w.agent))!;
    const expectedEvents = async () =>
      (
        await inspect.query<{ id: string }>(`SELECT id::text FROM "Event" WHERE "tenantId" = $1 AND type IN ('message.created', 'message.updated') AND id > $2::bigint ORDER BY id`, [
          workspace.tenantId,
          firstPosition.get(w),
        ])
      ).rows.map((row) => row.id);
    const received = () => w.events.filter((event) => MESSAGE_EVENTS.has(event.type)).map((event) => event.eventId);
    const want = await expectedEvents();
    await waitFor(`${w.agent.name} to receive all ${want.length} message events`, () => want.every((id) => received().includes(id)), 30_000).catch(() => {
      const got = new Set(received());
      throw new CheckFailed(`${w.agent.name} missed ${want.filter((id) => !got.has(id)).length} of ${want.length} message events (first: ${want.filter((id) => !got.has(id)).slice(0, 5).join(", ")})`);
    });
    const got = received();
    check(new Set(got).size === got.length, `${w.agent.name} received some message events twice`);
    const extra = got.filter((id) => !want.includes(id));
    check(extra.length === 0, `${w.agent.name} received events that are not in the log after its start: ${extra.slice(0, 5).join(", ")}`);
    // What the inbox shows in the end: each reply of the workspace, sent.
    const latest = new Map<string, string>();
    for (const event of w.events) {
      const message = event.data.message as { id: string; deliveryStatus: string } | undefined;
      if (MESSAGE_EVENTS.has(event.type) && message) latest.set(message.id, message.deliveryStatus);
    }
    const replies = stored.rows.filter((row) => workspace.chats.some((chat) => chat.chatId === Number(row.chatId)));
    const unseen = replies.filter((row) => latest.get(row.id) !== "sent");
    check(unseen.length === 0, `${w.agent.name}'s inbox does not show ${unseen.length} of the workspace's replies as sent`);
  }
  say("c) after the kills, every reply was still delivered once and in order, and every agent saw every message event exactly once");

  // ---- stop, then d) the logs ----------------------------------------------------------------------
  stopping = true;
  for (const w of watchers) w.client.close();
  // The survivors stop as an orchestrator stops them, and must do so cleanly.
  await Promise.all([webA, webB, workerB, realtimeB].map((p) => p.kill("SIGTERM")));
  for (const p of [webA, webB, workerB, realtimeB]) check(p.child.exitCode === 0, `${p.name} exited ${p.child.exitCode ?? p.child.signalCode} on SIGTERM`);

  const secretValues: [string, string][] = [
    ["APP_SECRET", secrets.APP_SECRET],
    ["ENCRYPTION_KEY", secrets.ENCRYPTION_KEY],
    ...workspaces.flatMap((w): [string, string][] => [
      [`${w.slug} bot token`, w.bot.token.split(":")[1]!],
      [`${w.slug} API key`, w.apiKey.split("_").at(-1)!],
      [`${w.slug} webhook secret`, w.webhookSecret],
      ...w.agents.flatMap((agent): [string, string][] => [
        [`${agent.name}'s password`, agent.password],
        [`${agent.name}'s session cookie`, agent.session!],
      ]),
    ]),
  ];
  let lineCount = 0;
  for (const p of processes) {
    lineCount += p.lines.length;
    check(p.lines.length > 0, `${p.name} wrote no log at all`);
    const notJson = p.lines.filter((line) => parseJson(line) === undefined);
    check(notJson.length === 0, `${p.name} wrote ${notJson.length} log lines that are not JSON, e.g.:\n  ${notJson.slice(0, 3).join("\n  ")}`);
    for (const [what, value] of secretValues) {
      const leak = p.lines.find((line) => line.includes(value));
      check(!leak, `${p.name}'s log contains ${what}:\n  ${leak?.slice(0, 300)}`);
    }
  }
  check(
    [workerA, workerB].every((p) => p.lines.some((line) => parseJson(line)?.level === 20)),
    "the workers wrote no debug line: LOG_LEVEL=debug did not take effect, so the secret check saw less than it should",
  );
  say(`d) ${lineCount} log lines of six processes are JSON and hold none of ${secretValues.length} secrets`);

  // e) One id across processes: the request that sent a reply is on a web node's line, on the worker's
  // lines for its delivery job and on a realtime node's emit lines; a customer's webhook likewise.
  const entries = (ps: ProductProcess[]) => ps.flatMap((p) => p.lines.map(parseJson).filter((entry) => entry !== undefined));
  const idsOf = (ps: ProductProcess[], msg: string) => new Set(entries(ps).filter((entry) => entry.msg === msg).map((entry) => entry.requestId));
  const requested = idsOf([webA, webB], "request done");
  const emitted = idsOf([realtimeA, realtimeB], "realtime: event emitted");
  const deliveries = entries([workerA, workerB]).filter((entry) => entry.msg === "delivery job done" && entry.result === "sent");
  check(deliveries.length >= TOTAL_REPLIES - 5, `only ${deliveries.length} "delivery job done" lines with result sent`);
  const untraced = deliveries.filter((entry) => typeof entry.requestId !== "string" || !requested.has(entry.requestId) || !emitted.has(entry.requestId));
  check(untraced.length === 0, `${untraced.length} delivery jobs' request ids are not on a web request line and a realtime emit line, e.g. ${JSON.stringify(untraced[0])}`);
  const webhooks = entries([webA, webB]).filter((entry) => entry.msg === "webhook: update taken" && entry.result === "ok");
  check(webhooks.length > 0, "no webhook line at debug level");
  const unemitted = webhooks.filter((entry) => !emitted.has(entry.requestId));
  check(unemitted.length === 0, `${unemitted.length} webhooks' request ids are on no realtime emit line`);
  say(`e) the request ids of ${deliveries.length} deliveries and ${webhooks.length} webhooks are on the web, worker and realtime lines of their journeys`);

  say("figures (not asserted):");
  say(`  start of the six processes:     ${seconds(startupMs)}`);
  say(`  ${TOTAL_REPLIES} replies enqueued in:        ${seconds(enqueuedMs)} (${(TOTAL_REPLIES / (enqueuedMs / 1000)).toFixed(0)}/s through two web nodes)`);
  say(`  ${TOTAL_REPLIES} replies delivered in:       ${seconds(deliveredMs)} (${(TOTAL_REPLIES / (deliveredMs / 1000)).toFixed(1)}/s, kills included)`);
  say(`  sockets back on node B after:   ${seconds(realtimeRecoveredMs)} (kill → caught up)`);
  say(`  PostgreSQL connections, peak:   ${peakConnections} (six processes and this script's 3: ${peakByProcess})`);
  say(`  worker A's jobs released after: ${seconds(workerRecoveredMs)} (kill → worker B hands them back; JOB_STALE_LOCK_SECONDS=2, scan every 15 s)`);
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new CheckFailed(`the run took over ${seconds(RUN_TIMEOUT_MS)}`)), RUN_TIMEOUT_MS).unref());
  try {
    await Promise.race([run(), timeout]);
    passed = true;
    say("PASSED");
    return 0;
  } catch (error) {
    console.error(`scale-out: FAILED: ${error instanceof CheckFailed ? error.message : (error as Error).stack}`);
    return 1;
  } finally {
    await cleanUp();
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`scale-out: ${signal}, cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}
process.exit(await main());
