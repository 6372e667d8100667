import { randomUUID } from "node:crypto";
import { io as connectSocket } from "socket.io-client";
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "@/server/config/data-dir";
import type { EnvVars } from "@/lib/env";
import { createLogger } from "@/server/logger";
import { childEnv } from "@/server/test/child-env";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { freePort } from "@/server/test/free-port";
import { buildIsMissingOrStale, buildWebApp } from "./build";

/**
 * `npm start` as a newcomer runs it: a fresh data folder, no DATABASE_URL, the
 * real processes. Ports are random so the suite never clashes with a running copy.
 */

type Run = {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: string[];
  exited: Promise<number | null>;
};

type Ports = { PORT: string; REALTIME_PORT: string; WORKER_PORT: string; TELEGRAM_EMULATOR_PORT: string; DEMO_SITE_PORT: string; EMBEDDED_POSTGRES_PORT: string };

async function ports(): Promise<Ports> {
  return {
    PORT: String(await freePort()),
    REALTIME_PORT: String(await freePort()),
    WORKER_PORT: String(await freePort()),
    TELEGRAM_EMULATOR_PORT: String(await freePort()),
    DEMO_SITE_PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
  };
}

function start(env: EnvVars): Run {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, "server/start/main.ts")], {
    cwd: projectRoot,
    env: childEnv({ PATH: process.env.PATH, HOME: process.env.HOME, LOG_FORMAT: "json", ...env }),
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, as in a terminal, so Ctrl-C can be sent to all of it.
    detached: true,
  });
  const run: Run = { child, lines: [], stderr: [], exited: new Promise((resolve) => child.on("exit", resolve)) };
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    for (const line of parts) {
      if (!line.trim()) continue;
      try {
        run.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        run.lines.push({ raw: line });
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => run.stderr.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  return run;
}

/** Leaves nothing behind when a test fails half-way. */
function killGroup(run: Run): void {
  try {
    process.kill(-run.child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}

/** What Ctrl-C in a terminal does: SIGINT to every process of the foreground group, PostgreSQL included. */
function pressCtrlC(run: Run): void {
  process.kill(-run.child.pid!, "SIGINT");
}

async function waitFor(run: Run, message: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (run.lines.some((line) => line.msg === message)) return;
    if (run.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`"${message}" never came; output:\n${JSON.stringify(run.lines, null, 1)}\n${run.stderr.join("\n")}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pids: number[], timeoutMs = 15_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && pids.some(isAlive)) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(isAlive);
}

function childPids(run: Run): number[] {
  const pids = run.lines.filter((line) => ["web", "realtime", "worker", "telegram"].includes(line.proc as string)).map((line) => line.pid).filter((pid): pid is number => typeof pid === "number");
  return [...new Set(pids)];
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
}

const dirs: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sc-start-"));
  chmodSync(dir, 0o711); // as root, the embedded database runs as the postgres user and must reach it
  dirs.push(dir);
  return path.join(dir, "data");
}

beforeAll(async () => {
  // Build once here so the starts below measure starting, not building.
  if (buildIsMissingOrStale()) await buildWebApp(createLogger("test", "silent"), () => {});
}, 600_000);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("npm start on a fresh machine", () => {
  const dataDir = tempDataDir();
  let env: EnvVars;

  beforeAll(async () => {
    env = { DATA_DIR: dataDir, ...(await ports()) };
  });

  it("starts the embedded database and all processes, seeds the demo, and prints how to sign in", async () => {
    const run = start(env);
    try {
      await waitFor(run, "Support Chat is ready");
      const web = await fetch(`http://127.0.0.1:${env.PORT}/api/health`);
      expect(web.status).toBe(200);
      expect(await web.json()).toMatchObject({ status: "ok", database: { ok: true } });
      for (const port of [env.REALTIME_PORT, env.WORKER_PORT]) {
        expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      }
      // Each process's probes: web's under /api/health, the others' under /health.
      for (const probe of [`${env.PORT}/api/health`, `${env.REALTIME_PORT}/health`, `${env.WORKER_PORT}/health`]) {
        expect((await fetch(`http://127.0.0.1:${probe}/live`)).status).toBe(200);
        const ready = await fetch(`http://127.0.0.1:${probe}/ready`);
        expect(await ready.json()).toMatchObject({ status: "ready", database: { ok: true }, migrations: { ok: true } });
      }
      // Socket.IO listens on the realtime port and wants a token from realtime.token.
      const socket = connectSocket(`http://127.0.0.1:${env.REALTIME_PORT}`, { auth: { token: "not-a-token" }, transports: ["websocket"], reconnection: false });
      const refusal = await new Promise<{ data?: { code: string } }>((resolve) => socket.once("connect_error", (error) => resolve(error as never)));
      socket.close();
      expect(refusal.data?.code).toBe("UNAUTHORIZED");
      // The demo bot's Telegram, with its customer chat page.
      const chatPage = await fetch(`http://127.0.0.1:${env.TELEGRAM_EMULATOR_PORT}/`);
      expect(await chatPage.text()).toContain("Telegram emulator");
      // The sample site, on an origin of its own, embedding the demo workspace's widget.
      const site = await (await fetch(`http://127.0.0.1:${env.DEMO_SITE_PORT}/`)).text();
      expect(site).toContain("Sample shop");
      expect(site).toMatch(/<script src="[^"]+\/widget\.js" data-channel="[A-Za-z0-9_-]{22}" async><\/script>/);
      const script = await fetch(`http://127.0.0.1:${env.PORT}/widget.js`);
      expect(script.headers.get("content-type")).toContain("javascript");
      // Webhooks are answered by the web process itself, ahead of Next.js.
      const webhook = await fetch(`http://127.0.0.1:${env.PORT}/api/telegram/${randomUUID()}/webhook`, { method: "POST", body: "{}" });
      expect(webhook.status).toBe(404);
      expect(await webhook.json()).toEqual({ error: "not found" });
      const page = await fetch(`http://127.0.0.1:${env.PORT}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Support Chat");

      const secrets = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { demoOwnerPassword: string };
      // Where the password is, never the password itself: not in any line of any process.
      expect(run.lines.map((line) => line.msg)).toContain(`demo sign-in: owner@demo.example, password in ${path.relative(projectRoot, dataDir)}/secrets.json (demoOwnerPassword)`);
      expect(run.lines.filter((line) => JSON.stringify(line).includes(secrets.demoOwnerPassword))).toEqual([]);
      expect(secrets.demoOwnerPassword).toMatch(/^scdemo_[A-Za-z0-9_-]{16}$/);
      expect(run.lines).toContainEqual(expect.objectContaining({ msg: "demo workspace created", created: true }));
      expect(existsSync(path.join(dataDir, "postgres", "PG_VERSION"))).toBe(true);

      // Ctrl-C: everything stops, the database too, and nothing is left running.
      const pids = [...childPids(run), postmasterPid(dataDir)];
      expect(pids).toHaveLength(5);
      pressCtrlC(run);
      expect(await run.exited).toBe(0);
      expect(await waitGone(pids)).toEqual([]);
    } finally {
      killGroup(run);
    }
  });

  it("reuses the data on a second start and seeds nothing twice", async () => {
    const run = start(env);
    try {
      await waitFor(run, "Support Chat is ready");
      expect(run.lines).toContainEqual(expect.objectContaining({ msg: "demo workspace present", created: false }));
      expect(run.lines.map((line) => line.msg)).not.toContain("creating the embedded database (first start)");
      const secrets = JSON.parse(readFileSync(path.join(dataDir, "secrets.json"), "utf8")) as { postgresPassword: string };
      const client = new pg.Client({
        connectionString: `postgres://postgres:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/supportchat`,
      });
      await client.connect();
      const counts = await client.query(`SELECT (SELECT count(*) FROM "Tenant")::int AS tenants, (SELECT count(*) FROM "Conversation")::int AS conversations`);
      await client.end();
      expect(counts.rows[0]).toEqual({ tenants: 1, conversations: 1 });
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
    } finally {
      killGroup(run);
    }
  });

  // Two whole starts (12–17 s each on two cores, measured) and a kill: more than the default 30 s.
  it("recovers after being killed outright: its children stop by themselves and the next start takes over the database", { timeout: 90_000 }, async () => {
    const first = start(env);
    await waitFor(first, "Support Chat is ready");
    const children = childPids(first);
    const postmaster = postmasterPid(dataDir);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(await waitGone(children)).toEqual([]);
    expect(isAlive(postmaster)).toBe(true);

    const second = start(env);
    try {
      await waitFor(second, "Support Chat is ready");
      expect(second.lines).toContainEqual(expect.objectContaining({ msg: "stopping an embedded database left running by an earlier start" }));
      expect(isAlive(postmaster)).toBe(false);
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
    } finally {
      killGroup(second);
      killGroup(first);
    }
  });
});

describe("npm start with DATABASE_URL", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("uses that database and never starts an embedded one", async () => {
    const dataDir = tempDataDir();
    const run = start({ DATA_DIR: dataDir, DATABASE_URL: database.url, ...(await ports()) });
    try {
      await waitFor(run, "Support Chat is ready");
      expect(existsSync(path.join(dataDir, "postgres"))).toBe(false);
      expect(run.lines).toContainEqual(expect.objectContaining({ msg: "database ready", embedded: false }));
      expect(JSON.stringify(run.lines)).not.toContain(new URL(database.url).password || "never-present");
      expect(await database.db.tenant.count()).toBe(1);
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
    } finally {
      killGroup(run);
    }
  });
});

describe("npm start with bad configuration", () => {
  function errorLines(run: Run): string[] {
    return [...run.stderr, ...run.lines.filter((line) => (line.level as number) >= 50).map((line) => `support-chat: ${line.msg}`)];
  }

  it("ends with one line naming an invalid DATABASE_URL, exit code 1, no stack trace", async () => {
    const run = start({ DATA_DIR: tempDataDir(), DATABASE_URL: "http://db.example/app", ...(await ports()) });
    expect(await run.exited).toBe(1);
    expect(errorLines(run)).toEqual([
      "support-chat: invalid configuration: DATABASE_URL must be a URL starting with postgres:// or postgresql://, like postgres://user:password@localhost:5432/supportchat",
    ]);
    expect(run.lines).toEqual([]);
  });

  it("ends with one line when a port is in use", async () => {
    const env = { DATA_DIR: tempDataDir(), ...(await ports()) };
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(Number(env.PORT), "127.0.0.1", resolve));
    try {
      const run = start(env);
      expect(await run.exited).toBe(1);
      expect(errorLines(run)).toEqual([`support-chat: port ${env.PORT} is in use; free it or set PORT to a free port`]);
      expect(run.lines).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });

  it("ends with one line when the data directory cannot be used", async () => {
    const file = path.join(path.dirname(tempDataDir()), "a-file");
    writeFileSync(file, "");
    const run = start({ DATA_DIR: file, ...(await ports()) });
    expect(await run.exited).toBe(1);
    expect(errorLines(run)).toEqual([
      `support-chat: cannot use the data directory ${file} (it is a file, not a folder); make it a writable folder or set DATA_DIR to one`,
    ]);
  });

  it("ends with one line when the database cannot be reached", async () => {
    const port = await freePort();
    const run = start({ DATA_DIR: tempDataDir(), DATABASE_URL: `postgres://app:hunter2@127.0.0.1:${port}/app`, ...(await ports()) });
    expect(await run.exited).toBe(1);
    const errors = errorLines(run);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^support-chat: cannot reach the database at postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/app: `));
    expect(JSON.stringify(run.lines) + run.stderr.join()).not.toContain("hunter2");
  });
});
