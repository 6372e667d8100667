import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { EnvVars } from "@/lib/env";
import { projectRoot } from "@/server/config/data-dir";
import { childEnv } from "./child-env";
import { freePort } from "./free-port";

/**
 * The real worker process (`npm run start:worker`) against a test database and a
 * Telegram emulator. Its output is collected into `output` when given, else discarded.
 */
export async function startWorkerProcess(env: { databaseUrl: string; dataDir: string; telegramApiRoot: string; extra?: EnvVars; output?: string[] }): Promise<ChildProcess> {
  const worker = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, "server/worker/main.ts")], {
    cwd: projectRoot,
    env: childEnv({
      PATH: process.env.PATH,
      DATABASE_URL: env.databaseUrl,
      DATA_DIR: env.dataDir,
      WORKER_PORT: String(await freePort()),
      TELEGRAM_API_ROOT: env.telegramApiRoot,
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY,
      ...env.extra,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [worker.stdout, worker.stderr]) {
    if (env.output) stream.on("data", (chunk: Buffer) => env.output!.push(chunk.toString("utf8")));
    else stream.resume();
  }
  return worker;
}
