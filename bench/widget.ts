import { fork, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { buildWidget } from "@/scripts/build-widget";
import { createWebWidget } from "@/server/channels/web-widget/create-web-widget";
import { createSystemPool } from "@/server/db/app-pool";
import { createAppDb, createSystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { announceEvents } from "@/server/realtime/announce";
import { signRealtimeToken } from "@/server/realtime/token";
import { sendMessage } from "@/server/services/messages/send-message";
import { freePort } from "@/server/test/free-port";
import { openBenchDatabase, percentile, readScenario, round } from "./support";

/**
 * The website widget under load, on one machine:
 * - one realtime process (as `npm run start:realtime` runs it) with V visitor
 *   sockets on `/visitor` and one agent socket of the workspace, connected from
 *   another process (bench/widget-clients.ts);
 * - every visitor started through the widget's `POST /session` and writing
 *   every few seconds through its `POST /messages` (the route handlers
 *   themselves, called in this process as Next.js calls them, with the web
 *   process's pools and the production rate limits, each visitor from an
 *   address of its own), and the agent answering every n-th message with
 *   `sendMessage` as the inbox's reply does (the scenario: one in ten, the
 *   ratio of a support desk's standard load, 200 messages in to 20 replies
 *   out a second), after an unmeasured warm-up;
 * - the time from each visitor's send to the agent's `message.created`, from
 *   each reply to its visitor's `message.created`, and every message lost,
 *   repeated or delivered to the wrong visitor; the bundle's gzipped size.
 * `WIDGET_BENCH_VISITORS`, `WIDGET_BENCH_SECONDS` and `WIDGET_BENCH_REPLY_EVERY`
 * override the scenario's visitors, duration and reply ratio (bench/widget.json).
 */

type Scenario = {
  visitors: number;
  sendIntervalSeconds: number;
  seconds: number;
  /**
   * The agent answers every n-th message of each visitor, staggered by visitor (visitor v's messages whose number
   * plus v is a multiple of n), so the replies are spread evenly over the run instead of all falling on one round.
   */
  replyEvery: number;
  /**
   * Messages (each answered) from visitors of their own before the load, not measured: the process's first calls of
   * the write paths run unoptimized and its pools' connections plan their statements, as a web process that has
   * served a while does not.
   */
  warmUpMessages: number;
  sessionConcurrency: number;
  connectConcurrency: number;
  /** How long to wait, after the last send, for the last messages to arrive. */
  drainSeconds: number;
};
type Latency = { p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number };
type Direction = {
  messages: number;
  received: number;
  lost: number;
  lostKeys: string[];
  duplicated: number;
  unexpected: number;
  fromSend: Latency;
  fromAnswer: Latency;
  /** fromSend of each visitor's first message, which opens their contact and conversation. */
  openingFromSend: Latency;
};
type Figures = { visitorToAgent: Direction; agentToVisitor: Direction & { misdelivered: number; lostButSeenByAgent: number }; disconnects: number };
type Sent = Record<string, [start: number, answered: number]>;

const root = path.join(import.meta.dirname, "..");
const origin = "https://shop.bench.example";
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function scenarioFromEnv(scenario: Scenario): Scenario {
  const whole = (name: string, fallback: number) => {
    const value = process.env[name];
    if (value === undefined || value === "") return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${name} must be a whole number of at least 1 (got "${value}")`);
    return Number(value);
  };
  return {
    ...scenario,
    visitors: whole("WIDGET_BENCH_VISITORS", scenario.visitors),
    seconds: whole("WIDGET_BENCH_SECONDS", scenario.seconds),
    replyEvery: whole("WIDGET_BENCH_REPLY_EVERY", scenario.replyEvery),
  };
}

/** Resident memory (now and peak) and CPU seconds of a process (Linux). */
function usageOf(pid: number): { rssMiB: number; peakMiB: number; cpuSeconds: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    // utime and stime, in clock ticks (100 a second), after the command name in parentheses.
    const [utime, stime] = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ").slice(11, 13).map(Number);
    return { rssMiB: round(kib("VmRSS") / 1024), peakMiB: round(kib("VmHWM") / 1024), cpuSeconds: round((utime! + stime!) / 100, 2) };
  } catch {
    return null;
  }
}

/** The whole machine's busy time (Linux), to tell the bench's own load from the product's limits. */
function machineBusyMs(): number | null {
  try {
    const [user, nice, system, , , irq, softirq] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq!) * 10;
  } catch {
    return null;
  }
}

/** What a process logged (at warn level and above, here), one of each message: a lost message's likely reason. */
function distinctMessages(output: string): string[] {
  const messages = output
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => {
      try {
        return String((JSON.parse(line) as { msg?: unknown }).msg);
      } catch {
        return line.trim().slice(0, 200);
      }
    });
  return [...new Set(messages)].slice(0, 10);
}

type DatabaseActivity = { commits: number; rollbacks: number; rowsWritten: number; walRecords: number; walBytes: number };

/** The database's own counters (pg_stat_database, pg_stat_wal): what a message costs it, whatever runs the queries. */
async function databaseActivity(pool: ReturnType<typeof createSystemPool>): Promise<DatabaseActivity> {
  const { rows } = await pool.query<Record<keyof DatabaseActivity, string>>(
    `SELECT d.xact_commit AS commits, d.xact_rollback AS rollbacks, d.tup_inserted + d.tup_updated + d.tup_deleted AS "rowsWritten",
            w.wal_records AS "walRecords", w.wal_bytes AS "walBytes"
       FROM pg_stat_database d, pg_stat_wal w WHERE d.datname = current_database()`,
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([key, value]) => [key, Number(value)])) as DatabaseActivity;
}

/** Per visitor message (with its reply): the database's work while the load ran. Counters are the whole server's. */
function perMessage(before: DatabaseActivity, after: DatabaseActivity, messages: number) {
  return Object.fromEntries(Object.keys(before).map((key) => [key, round((after[key as keyof DatabaseActivity] - before[key as keyof DatabaseActivity]) / Math.max(1, messages), 2)]));
}

function latency(values: number[]): Latency {
  const sorted = Float64Array.from(values).sort();
  return { p50Ms: round(percentile(sorted, 50), 1), p95Ms: round(percentile(sorted, 95), 1), p99Ms: round(percentile(sorted, 99), 1), maxMs: round(sorted.at(-1) ?? 0, 1) };
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the realtime process exited: ${output()}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await sleep(100);
  }
  throw new Error(`no answer from ${url}: ${output()}`);
}

/** The visitors' and the agent's sockets in their own process. */
async function startClients(start: { url: string; origin: string; visitorTokens: string[]; agentToken: string; concurrency: number }) {
  const child = fork(path.join(import.meta.dirname, "widget-clients.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let exited: Error | null = null;
  const waiting = new Set<(error: Error) => void>();
  child.once("exit", (code) => {
    exited = new Error(`the clients' process exited (${code})`);
    for (const fail of waiting) fail(exited);
  });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(exited);
      const onMessage = (message: Record<string, unknown>) => {
        if (message.error) reject(new Error(String(message.error)));
        else if (key in message) resolve(message[key] as T);
        else return;
        child.off("message", onMessage);
        waiting.delete(reject);
      };
      child.on("message", onMessage);
      waiting.add(reject);
    });
  const connected = next<number>("connected");
  child.send({ connect: start });
  await connected;
  return {
    pid: child.pid!,
    progress: () => {
      const answer = next<{ agent: number; visitors: number }>("progress");
      child.send({ progress: true });
      return answer;
    },
    finish: (sent: { visitorMessages: Sent; agentReplies: Sent }) => {
      const figures = next<Figures>("figures");
      child.send({ finish: sent });
      return figures;
    },
  };
}

/** Runs `task` over `items`, `concurrency` at a time. */
async function eachLimited<T>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index]!, index);
      }
    }),
  );
}

export async function runWidgetBench(): Promise<void> {
  const scenario = scenarioFromEnv(readScenario<Scenario>("widget"));
  const bundleDir = mkdtempSync(path.join(tmpdir(), "sc-bench-widget-"));
  const bundle = await buildWidget(path.join(bundleDir, "widget.js"));
  rmSync(bundleDir, { recursive: true, force: true });

  const database = await openBenchDatabase();
  const url = database.url;
  const secret = randomBytes(32).toString("base64url");
  // What the web process's route handlers read from their environment: its database, secrets and log level;
  // no Redis, so the rate limits count in PostgreSQL, as on a single machine — unless WIDGET_BENCH_REDIS_URL
  // names one, as a scaled-out deployment has (the limits then count there).
  Object.assign(process.env, { DATABASE_URL: url, APP_SECRET: secret, ENCRYPTION_KEY: process.env.ENCRYPTION_KEY || "ab".repeat(32), REDIS_URL: process.env.WIDGET_BENCH_REDIS_URL ?? "", LOG_LEVEL: "warn" });
  const sessionRoute = await import("@/app/api/widget/[publicId]/session/route");
  const messagesRoute = await import("@/app/api/widget/[publicId]/messages/route");
  const systemDb = createSystemDb(url, { max: 3 });
  const appDb = createAppDb(url);
  const systemPool = createSystemPool(url);

  const stamp = Date.now();
  const tenant = await systemDb.tenant.create({ data: { slug: `bench-widget-${stamp}`, name: "Bench", settings: { create: {} } } });
  const agent = await systemDb.user.create({ data: { email: `agent-${stamp}@bench.example`, name: "Bench Agent" } });
  await systemDb.membership.create({ data: { tenantId: tenant.id, userId: agent.id, role: "agent" } });
  const agentSession = await systemDb.session.create({ data: { userId: agent.id, expiresAt: new Date(stamp + 86_400_000) } });
  const widget = await createWebWidget(systemDb, { tenantId: tenant.id, name: "Bench shop", allowedOrigins: [origin], color: "#2563eb", position: "right", actor: {} });

  // --- the realtime process ----------------------------------------------------------------
  const port = await freePort();
  let output = "";
  const realtime = spawn(process.execPath, ["--import", "tsx", path.join(root, "server/realtime/main.ts")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", REALTIME_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  realtime.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  realtime.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const realtimeUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${realtimeUrl}/health`, realtime, () => output);
  const idle = usageOf(realtime.pid!);

  // --- sessions: POST /session, each visitor from an address of its own ----------------------
  const params = { params: Promise.resolve({ publicId: widget.publicId }) };
  const call = (visitor: number, route: typeof sessionRoute | typeof messagesRoute, pathname: string, body: unknown, visitorToken: string | null) =>
    route.POST(
      new Request(`http://127.0.0.1/api/widget/${widget.publicId}/${pathname}`, {
        method: "POST",
        headers: {
          origin,
          "content-type": "application/json",
          // The web process sets it from the socket: here each visitor is an address of its own.
          "x-forwarded-for": `10.${(visitor >> 16) & 255}.${(visitor >> 8) & 255}.${visitor & 255}`,
          "user-agent": "Mozilla/5.0 (X11; Linux x86_64) bench",
          "accept-language": "en-GB,en;q=0.8",
          ...(visitorToken ? { authorization: `Bearer ${visitorToken}` } : {}),
        },
        body: JSON.stringify(body),
      }),
      params,
    );
  const sessions: { visitorToken: string; socketToken: string; visitor: { id: string } }[] = [];
  const sessionTimes: number[] = [];
  const sessionsStarted = performance.now();
  const warmUpVisitors = Math.min(50, scenario.warmUpMessages);
  await eachLimited(
    Array.from({ length: scenario.visitors + warmUpVisitors }, (_, i) => i),
    scenario.sessionConcurrency,
    async (visitor) => {
      const started = performance.now();
      const answer = await call(visitor, sessionRoute, "session", { locale: "en-GB", pageUrl: `${origin}/products/${visitor}` }, null);
      if (answer.status !== 200) throw new Error(`a session was refused: ${answer.status} ${await answer.text()}`);
      sessionTimes.push(performance.now() - started);
      sessions[visitor] = (await answer.json()) as (typeof sessions)[number];
    },
  );
  const sessionSeconds = (performance.now() - sessionsStarted) / 1000;

  // --- sockets --------------------------------------------------------------------------------
  const connectStarted = performance.now();
  const agentToken = await signRealtimeToken({ tenantId: tenant.id, role: "agent", principal: { kind: "user", userId: agent.id, sessionId: agentSession.id } }, secret);
  const clients = await startClients({ url: realtimeUrl, origin, visitorTokens: sessions.slice(0, scenario.visitors).map((s) => s.socketToken), agentToken, concurrency: scenario.connectConcurrency });
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const connected = usageOf(realtime.pid!);

  // --- the load: every visitor writes every few seconds, the agent answers ---------------------
  const visitorMessages: Sent = {};
  const agentReplies: Sent = {};
  const sendTimes: number[] = [];
  const replyTimes: number[] = [];
  const refused = new Map<string, number>();
  const replyFailures = new Map<string, number>();
  const conversations = new Map<number, Promise<string>>();
  const conversationOf = (visitor: number, visitorId: string) => {
    let found = conversations.get(visitor);
    if (!found) {
      found = systemPool
        .query<{ id: string }>(`SELECT id FROM "Conversation" WHERE "channelId" = $1 AND "externalChatId" = $2`, [widget.id, visitorId])
        .then(({ rows }) => rows[0]!.id);
      conversations.set(visitor, found);
    }
    return found;
  };
  /** The agent's answer, as the inbox's reply sends it. */
  const answerAsAgent = (conversationId: string, text: string) =>
    withTenant(appDb, tenant.id, (tx) => sendMessage(tx, { tenantId: tenant.id, conversationId, text, isPrivate: false, actor: { userId: agent.id } }));
  const reply = async (key: string, conversationId: string) => {
    const started = now();
    try {
      await answerAsAgent(conversationId, `reply ${key}`);
    } catch (error) {
      const reason = (error as Error).message.split("\n").find((line) => line.trim()) ?? "error";
      replyFailures.set(reason, (replyFailures.get(reason) ?? 0) + 1);
      return;
    }
    const committed = now();
    // As the tRPC mutation does after every commit.
    announceEvents(systemPool);
    agentReplies[key] = [started, committed];
    replyTimes.push(committed - started);
  };
  const send = async (visitor: number, seq: number) => {
    const key = `${visitor}.${seq}`;
    const started = now();
    let answer: Response;
    try {
      answer = await call(visitor, messagesRoute, "messages", { text: `bench ${key}`, clientMessageId: `bench-${key}` }, sessions[visitor]!.visitorToken);
    } catch (error) {
      refused.set(`threw ${(error as Error).message}`, (refused.get(`threw ${(error as Error).message}`) ?? 0) + 1);
      return;
    }
    const answered = now();
    if (answer.status !== 201) {
      const code = `${answer.status} ${((await answer.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code ?? ""}`;
      refused.set(code, (refused.get(code) ?? 0) + 1);
      return;
    }
    await answer.arrayBuffer();
    visitorMessages[key] = [started, answered];
    sendTimes.push(answered - started);
    if ((visitor + seq) % scenario.replyEvery !== 0) return;
    await reply(key, await conversationOf(visitor, sessions[visitor]!.visitor.id));
  };

  // --- warm-up: visitors of its own write and are answered, unmeasured ---------------------------
  const warmUpStarted = performance.now();
  await eachLimited(
    Array.from({ length: scenario.warmUpMessages }, (_, n) => n),
    warmUpVisitors,
    async (n) => {
      const visitor = scenario.visitors + (n % warmUpVisitors);
      const answer = await call(visitor, messagesRoute, "messages", { text: `warm-up ${n}`, clientMessageId: `warm-up-${n}` }, sessions[visitor]!.visitorToken);
      if (answer.status !== 201) throw new Error(`a warm-up message was refused: ${answer.status} ${await answer.text()}`);
      await answer.arrayBuffer();
      const conversationId = await conversationOf(visitor, sessions[visitor]!.visitor.id);
      await answerAsAgent(conversationId, `warm-up reply ${n}`);
    },
  );
  const warmUpSeconds = (performance.now() - warmUpStarted) / 1000;

  const intervalMs = scenario.sendIntervalSeconds * 1000;
  const perVisitor = Math.max(1, Math.floor(scenario.seconds / scenario.sendIntervalSeconds));
  const inFlight: Promise<void>[] = [];
  const databaseBefore = await databaseActivity(systemPool);
  const busyBefore = machineBusyMs();
  const cpuBefore = { web: process.cpuUsage(), realtime: usageOf(realtime.pid!), clients: usageOf(clients.pid) };
  const loadStarted = performance.now();
  // Visitors spread evenly over one interval, so the rate is steady: V / interval messages a second.
  const offsets = Array.from({ length: scenario.visitors }, (_, visitor) => (visitor / scenario.visitors) * intervalMs);
  const schedule = Array.from({ length: perVisitor * scenario.visitors }, (_, n) => ({ visitor: n % scenario.visitors, seq: Math.floor(n / scenario.visitors) }));
  let behindMs = 0;
  for (const { visitor, seq } of schedule) {
    const due = loadStarted + offsets[visitor]! + seq * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else behindMs = Math.max(behindMs, -wait);
    inFlight.push(send(visitor, seq));
  }
  await Promise.all(inFlight);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const busyAfter = machineBusyMs();
  const databaseAfter = await databaseActivity(systemPool);
  const loaded = usageOf(realtime.pid!);
  const clientsUsage = usageOf(clients.pid);
  // Where the machine's time went while the load ran; the rest is PostgreSQL (and anything else running).
  const webCpu = process.cpuUsage(cpuBefore.web);
  const cpu = {
    web: round((webCpu.user + webCpu.system) / 1e6, 1),
    realtime: loaded && cpuBefore.realtime ? round(loaded.cpuSeconds - cpuBefore.realtime.cpuSeconds, 1) : null,
    clients: clientsUsage && cpuBefore.clients ? round(clientsUsage.cpuSeconds - cpuBefore.clients.cpuSeconds, 1) : null,
    machine: busyBefore !== null && busyAfter !== null ? round((busyAfter - busyBefore) / 1000, 1) : null,
  };

  // The last events: wait until both sides have everything, or the drain time is up.
  const drainStarted = performance.now();
  for (;;) {
    const progress = await clients.progress();
    if (progress.agent >= Object.keys(visitorMessages).length && progress.visitors >= Object.keys(agentReplies).length) break;
    if (performance.now() - drainStarted > scenario.drainSeconds * 1000) break;
    await sleep(250);
  }
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const figures = await clients.finish({ visitorMessages, agentReplies });
  const stored = await systemPool.query<{ direction: string; count: string }>(
    `SELECT m.direction::text AS direction, count(*)::text AS count FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId" WHERE c."channelId" = $1 GROUP BY 1`,
    [widget.id],
  );
  const storedCount = (direction: string) => Number(stored.rows.find((row) => row.direction === direction)?.count ?? 0);
  // A message that never arrived: its event in the log, to tell a lost emit from a message never logged.
  const eventsOf = async (prefix: string, keys: string[]) =>
    (
      await systemPool.query<{ text: string; id: string; txid: string; createdAt: Date }>(
        `SELECT payload->'message'->>'text' AS text, id::text, txid::text, "createdAt" FROM "Event" WHERE type = 'message.created' AND "tenantId" = $1 AND payload->'message'->>'text' = ANY($2)`,
        [tenant.id, keys.map((key) => `${prefix}${key}`)],
      )
    ).rows;
  const lostEvents = { visitorToAgent: await eventsOf("bench ", figures.visitorToAgent.lostKeys), agentToVisitor: await eventsOf("reply ", figures.agentToVisitor.lostKeys) };
  realtime.kill("SIGTERM");

  const offered = perVisitor * scenario.visitors;
  const result = {
    scenario,
    bundle: { bytes: bundle.bytes, gzipBytes: bundle.gzipBytes, gzipKiB: round(bundle.gzipBytes / 1024) },
    sessions: { started: sessions.length, perSecond: round(sessions.length / sessionSeconds), ...latency(sessionTimes) },
    warmUp: { messages: scenario.warmUpMessages, visitors: warmUpVisitors, seconds: round(warmUpSeconds, 1) },
    sockets: { connected: scenario.visitors + 1, connectSeconds: round(connectSeconds, 2), disconnectsDuringRun: figures.disconnects },
    load: {
      offeredMessages: offered,
      offeredPerSecond: round(scenario.visitors / scenario.sendIntervalSeconds),
      accepted: Object.keys(visitorMessages).length,
      refused: Object.fromEntries(refused),
      achievedPerSecond: round(Object.keys(visitorMessages).length / loadSeconds),
      schedulerBehindMaxMs: round(behindMs),
      sendCall: latency(sendTimes),
      replies: Object.keys(agentReplies).length,
      replyFailures: Object.fromEntries(replyFailures),
      replyCall: latency(replyTimes),
      storedInbound: storedCount("inbound"),
      storedOutbound: storedCount("outbound"),
      machineCpuBusyPercent: cpu.machine !== null ? round((cpu.machine / (loadSeconds * cpus().length)) * 100) : null,
      loadSeconds: round(loadSeconds, 1),
      database: perMessage(databaseBefore, databaseAfter, Object.keys(visitorMessages).length),
      cpuSeconds: { ...cpu, postgresAndOthers: cpu.machine !== null ? round(cpu.machine - cpu.web - (cpu.realtime ?? 0) - (cpu.clients ?? 0), 1) : null },
    },
    // fromSend: from the call's start to the other side's socket; fromAnswer: from the call's answer (the commit).
    visitorToAgent: figures.visitorToAgent,
    agentToVisitor: figures.agentToVisitor,
    lostEvents,
    realtimeWarnings: distinctMessages(output),
    drainSeconds: round(drainSeconds, 1),
    realtime: { idle, connected, afterLoad: loaded },
    clients: clientsUsage,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

  await sleep(300);
  await appDb.$disconnect();
  await systemDb.$disconnect();
  await systemPool.end();
  // The route handlers' pools and limiters are the process's own: the bench exits with them.
  await database.close();
}
