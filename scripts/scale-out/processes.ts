import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { childEnv } from "@/server/test/child-env";

/**
 * The product's processes for the scale-out run, each started exactly as its
 * npm script does (`node --import tsx server/<proc>/main.ts`), with every line
 * of its stdout and stderr kept for the log checks.
 */

const root = path.resolve(import.meta.dirname, "../..");

export type ProductProcess = {
  name: string;
  child: ChildProcess;
  /** Every line it wrote, stdout and stderr, in arrival order. */
  lines: string[];
  /** Resolves once it has exited (at once when it already has). */
  exited: Promise<void>;
  running: () => boolean;
  /** Polls `url` until it answers 200; fails early if the process dies, naming its last lines. */
  waitReady: (url: string, timeoutMs?: number) => Promise<void>;
  kill: (signal: NodeJS.Signals) => Promise<void>;
};

export function startProcess(name: string, entry: "web" | "realtime" | "worker", env: Record<string, string>): ProductProcess {
  // An IPC channel, as `npm start` gives its children: if this script dies outright, they stop themselves.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, `server/${entry}/main.ts`)], {
    cwd: root,
    // Named in pg_stat_activity after the process, for the run's connection figures.
    env: childEnv({ PGAPPNAME: `support-chat-${name.toLowerCase().replace(/\s+/g, "-")}`, ...env }),
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      lines.push(...parts.filter((line) => line.length > 0));
    });
    stream.on("end", () => rest && lines.push(rest));
  }
  // Streams end before "close", so the lines are complete once it fires.
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const tail = () => lines.slice(-15).join("\n");
  return {
    name,
    child,
    lines,
    exited,
    running,
    async waitReady(url, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!running()) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail()}`);
        const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((response) => response.status === 200, () => false);
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`${name} was not ready at ${url} after ${timeoutMs / 1000} s:\n${tail()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async kill(signal) {
      if (running()) child.kill(signal);
      await exited;
    },
  };
}
