import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { widgetSnippet } from "@/server/channels/web-widget/snippet";
import { loadConfig, type Config } from "@/server/config/config";
import { projectRoot } from "@/server/config/data-dir";
import { runMain, StartupError } from "@/server/config/fail";
import { createSystemDb } from "@/server/db/client";
import { openDatabase, redactUrl, type DatabaseHandle } from "@/server/db/database";
import { isPortFree } from "@/server/db/embedded";
import { DEMO_OWNER_EMAIL, DEMO_TENANT_SLUG, seedDemo } from "@/server/db/seed";
import { redactPaths, type Logger } from "@/server/logger";
import { buildIsMissingOrStale, buildWebApp } from "./build";
import { createLogSink, type LogSink } from "./log-sink";

/**
 * `npm start`: everything on one machine. Starts (or reuses) the database,
 * migrates, seeds the demo workspace, builds the web app when needed, then runs
 * web, realtime and worker as child processes until Ctrl-C or SIGTERM, and
 * stops all of them — and the embedded database — before exiting.
 */

type ProcName = "telegram" | "web" | "realtime" | "worker";
type ProcSpec = { name: ProcName; entry: string; health: (config: Config) => string };

/** Outside production, the demo bot's Telegram: the emulator with its customer chat page. */
const emulatorProcess: ProcSpec = {
  name: "telegram",
  entry: "e2e/telegram-emulator/main.ts",
  health: (c) => `http://127.0.0.1:${c.TELEGRAM_EMULATOR_PORT}/control/health`,
};

const coreProcesses: ProcSpec[] = [
  { name: "web", entry: "server/web/main.ts", health: (c) => `http://127.0.0.1:${c.PORT}/api/health` },
  { name: "realtime", entry: "server/realtime/main.ts", health: (c) => `http://127.0.0.1:${c.REALTIME_PORT}/health` },
  { name: "worker", entry: "server/worker/main.ts", health: (c) => `http://127.0.0.1:${c.WORKER_PORT}/health` },
];

function createStartLogger(sink: LogSink, level: string): Logger {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) sink(line, "start");
      done();
    },
  });
  return pino(
    { level, base: { proc: "start" }, redact: { paths: redactPaths, censor: "[redacted]" }, timestamp: pino.stdTimeFunctions.isoTime },
    stream,
  );
}

/** One `npm start` per data directory: a second one would fight over the embedded database. */
function takeStartLock(dataDir: string): () => void {
  const file = path.join(dataDir, "start.pid");
  try {
    const pid = Number(readFileSync(file, "utf8"));
    if (pid !== process.pid && pid > 0) {
      process.kill(pid, 0);
      throw new StartupError(`Support Chat is already running from this folder (pid ${pid}); stop it first`);
    }
  } catch (error) {
    if (error instanceof StartupError) throw error;
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

async function assertPortsFree(config: Config): Promise<void> {
  const wanted: [string, number][] = [
    ["PORT", config.PORT],
    ["REALTIME_PORT", config.REALTIME_PORT],
    ["WORKER_PORT", config.WORKER_PORT],
    ...(withEmulator(config)
      ? [["TELEGRAM_EMULATOR_PORT", config.TELEGRAM_EMULATOR_PORT] as [string, number], ["DEMO_SITE_PORT", config.DEMO_SITE_PORT] as [string, number]]
      : []),
  ];
  const taken: string[] = [];
  for (const [variable, port] of wanted) {
    if (!(await isPortFree(port, "0.0.0.0"))) taken.push(`port ${port} is in use; free it or set ${variable} to a free port`);
  }
  if (taken.length > 0) throw new StartupError(taken);
}

/** The demo (and its emulator) exist outside production, for the single-machine default. */
function withEmulator(config: Config): boolean {
  return config.NODE_ENV !== "production" && config.local !== undefined;
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new StartupError(`${url} did not answer within ${timeoutMs / 1000} s`);
}

function printReady(log: Logger, config: Config, pretty: boolean, demo: boolean): void {
  const url = `http://localhost:${config.PORT}`;
  const signIn = demo ? { email: DEMO_OWNER_EMAIL, password: config.local!.demoOwnerPassword } : undefined;
  const secretsFile = `${path.relative(projectRoot, config.dataDir) || "."}/secrets.json`;
  if (!pretty) {
    // A log is kept and shipped: the password stays in the secrets file, never in a line.
    log.info({ url, signIn: signIn ? { email: signIn.email } : undefined }, "Support Chat is ready");
    if (signIn) log.info(`demo sign-in: ${signIn.email}, password in ${secretsFile} (demoOwnerPassword)`);
    if (signIn) log.info({ url: `http://localhost:${config.DEMO_SITE_PORT}` }, "demo website with the chat widget");
    return;
  }
  const lines = [
    "",
    "  Support Chat is ready",
    `  Open       ${url}`,
    ...(signIn
      ? [
          `  Sign in    ${signIn.email}`,
          // The terminal of the person who started it, not a log: they need it to sign in.
          `  Password   ${signIn.password}   (kept in ${secretsFile})`,
          `  Workspace  ${DEMO_TENANT_SLUG}`,
        ]
      : []),
    ...(signIn
      ? [
          `  Customer   http://localhost:${config.TELEGRAM_EMULATOR_PORT}   (chat with the demo bot as a customer)`,
          `  Website    http://localhost:${config.DEMO_SITE_PORT}   (a sample shop with the demo chat widget)`,
        ]
      : []),
    "  Stop       Ctrl-C",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

runMain(async () => {
  const config = loadConfig();
  const pretty = config.LOG_FORMAT ? config.LOG_FORMAT === "pretty" : Boolean(process.stdout.isTTY);
  const sink = createLogSink(pretty);
  const log = createStartLogger(sink, config.LOG_LEVEL);
  const releaseLock = takeStartLock(config.dataDir);

  const children = new Map<ProcName, ChildProcess>();
  let database: DatabaseHandle | undefined;
  let demoSite: { close: () => Promise<void> } | undefined;
  let stopping = false;

  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const quiet = children.size === 0 && database === undefined;
    if (!quiet) log.info("stopping all processes");
    await demoSite?.close();
    await Promise.all(
      [...children.entries()].map(async ([name, child]) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => {
          log.warn({ process: name }, "did not stop within 10 s, killing it");
          child.kill("SIGKILL");
        }, 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await database?.close().catch((error: unknown) => log.error({ err: error }, "could not stop the database"));
    releaseLock();
    if (!quiet) log.info("stopped");
    process.exit(exitCode);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  process.on("SIGHUP", () => void stopAll(0));

  try {
    await assertPortsFree(config);
    database = await openDatabase(config, { log, embedded: "own" });
    log.info({ database: redactUrl(database.url), embedded: database.ownsEmbedded }, "database ready");

    const seedDemoData = withEmulator(config);
    const processes = seedDemoData ? [emulatorProcess, ...coreProcesses] : coreProcesses;
    let demoWidget: { publicId: string } | undefined;
    if (seedDemoData) {
      const db = createSystemDb(database.url, { max: 2 });
      try {
        const seeded = await seedDemo(db, {
          ownerPassword: config.local!.demoOwnerPassword,
          encryptionKey: config.ENCRYPTION_KEY,
          emulatorUrl: `http://127.0.0.1:${config.TELEGRAM_EMULATOR_PORT}`,
          demoSitePort: config.DEMO_SITE_PORT,
        });
        demoWidget = seeded.widget;
        log.info({ tenant: DEMO_TENANT_SLUG, created: seeded.created }, seeded.created ? "demo workspace created" : "demo workspace present");
      } finally {
        await db.$disconnect();
      }
    }

    if (buildIsMissingOrStale()) await buildWebApp(log, (line) => sink(line, "build"));
    if (stopping) return;

    for (const { name, entry } of processes) {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, entry)], {
        cwd: projectRoot,
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          APP_SECRET: config.APP_SECRET,
          ENCRYPTION_KEY: config.ENCRYPTION_KEY,
          DATA_DIR: config.dataDir,
          NODE_ENV: config.NODE_ENV === "test" ? "test" : "production",
        },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
      children.set(name, child);
      for (const [stream, level] of [[child.stdout!, 30], [child.stderr!, 50]] as const) {
        let buffered = "";
        stream.on("data", (chunk: Buffer) => {
          buffered += chunk.toString("utf8");
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          // Lines a child prints without pino (Next.js reporting a render error) keep their severity.
          for (const line of lines) sink(line, name, level);
        });
      }
      child.on("exit", (code, signal) => {
        if (stopping) return;
        // Ctrl-C reaches the children too; give our own SIGINT a moment to arrive first.
        setTimeout(() => {
          if (stopping) return;
          log.error({ process: name, code, signal }, `${name} stopped unexpectedly; stopping everything`);
          void stopAll(1);
        }, 300);
      });
    }

    await Promise.all(processes.map(({ name, health }) => waitHealthy(health(config), children.get(name)!, 90_000)));
    if (stopping) return;
    if (demoWidget) {
      // Loaded only for the demo: e2e/ is not part of the production image.
      const { startDemoSite } = await import("@/e2e/demo-site/server");
      // The snippet as the Channels page gives it, so its src is this product's public address (PUBLIC_URL, else PORT).
      demoSite = await startDemoSite({ snippet: widgetSnippet(demoWidget.publicId), port: config.DEMO_SITE_PORT });
    }
    printReady(log, config, pretty, seedDemoData);
  } catch (error) {
    if (error instanceof StartupError) for (const line of error.lines) log.error(line);
    else log.error({ err: error }, "start failed");
    await stopAll(1);
  }
});
