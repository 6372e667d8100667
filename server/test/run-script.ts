import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import type { EnvVars } from "@/lib/env";
import { childEnv } from "./child-env";
import { projectRoot } from "@/server/config/data-dir";

export type ScriptResult = { code: number | null; stdout: string; stderr: string };

/** Runs one of the project's TypeScript entry points as its own process, as npm scripts do. */
export function runScript(
  entry: string,
  args: string[],
  options: { env?: EnvVars; stdin?: string; timeoutMs?: number } = {},
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, entry), ...args], {
      cwd: projectRoot,
      env: childEnv({ PATH: process.env.PATH, HOME: process.env.HOME, ...options.env }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} ${args.join(" ")} did not finish in time\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}
