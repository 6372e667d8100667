import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { childEnv } from "../../server/test/child-env";
import { freePort } from "../../server/test/free-port";

/**
 * The whole product as `npm start` runs it — embedded PostgreSQL, web, realtime
 * and worker — in a temporary data folder on free ports, for browser tests.
 */

const root = path.resolve(import.meta.dirname, "../..");

export type Stack = {
  baseUrl: string;
  /** The demo bot's Telegram (the emulator npm start runs outside production). */
  telegramUrl: string;
  /** The sample shop page embedding the demo workspace's widget, on an origin of its own. */
  demoSiteUrl: string;
  env: Record<string, string>;
  demoPassword: string;
  admin: (args: string[]) => string;
  stop: () => Promise<void>;
};

export async function startStack(): Promise<Stack> {
  const base = mkdtempSync(path.join(tmpdir(), "sc-e2e-"));
  chmodSync(base, 0o711); // as root, the embedded database runs as the postgres user
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATA_DIR: path.join(base, "data"),
    PORT: String(await freePort()),
    REALTIME_PORT: String(await freePort()),
    WORKER_PORT: String(await freePort()),
    TELEGRAM_EMULATOR_PORT: String(await freePort()),
    DEMO_SITE_PORT: String(await freePort()),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    LOG_FORMAT: "json",
    // Everything the product logs during the browser tests is kept (test-results/e2e-stack.log) and
    // searched for secrets by CI (scripts/check-log-secrets.ts): debug level, so nothing is left out.
    LOG_LEVEL: "debug",
  };
  // Bots an admin connects through the Channels page live in the same emulator as the demo bot.
  env.TELEGRAM_API_ROOT = `http://127.0.0.1:${env.TELEGRAM_EMULATOR_PORT}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "server/start/main.ts")], {
    cwd: root,
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  mkdirSync(path.join(root, "test-results"), { recursive: true });
  const log = createWriteStream(path.join(root, "test-results", "e2e-stack.log"));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start:\n${output.join("\n")}`)), 300_000);
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        output.push(line);
        if (line.includes('"msg":"Support Chat is ready"')) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited with ${code}:\n${output.join("\n")}`));
    });
  });
  const secrets = JSON.parse(readFileSync(path.join(env.DATA_DIR!, "secrets.json"), "utf8")) as { demoOwnerPassword: string };
  return {
    baseUrl: `http://localhost:${env.PORT}`,
    telegramUrl: `http://127.0.0.1:${env.TELEGRAM_EMULATOR_PORT}`,
    demoSiteUrl: `http://127.0.0.1:${env.DEMO_SITE_PORT}`,
    env,
    demoPassword: secrets.demoOwnerPassword,
    // The CLI joins the stack's running embedded database through the same data folder.
    admin: (args) => {
      const result = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "server/cli/admin.ts"), ...args], { cwd: root, env: childEnv(env), encoding: "utf8" });
      if (result.status !== 0) throw new Error(`admin ${args.join(" ")} failed: ${result.stderr}`);
      return result.stdout;
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid!, "SIGINT");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already stopped
      }
      rmSync(base, { recursive: true, force: true });
      log.end();
    },
  };
}
