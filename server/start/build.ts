import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { StartupError } from "@/server/config/fail";
import { projectRoot } from "@/server/config/data-dir";
import type { Logger } from "@/server/logger";
import { buildWidget } from "@/scripts/build-widget";
import { widgetBundleFile } from "@/widget/bundle-path";

const buildDir = path.join(projectRoot, ".next");
const stampFile = path.join(buildDir, "support-chat-build.json");

function git(args: string[]): string | undefined {
  const result = spawnSync("git", args, { cwd: projectRoot, encoding: "utf8" });
  return result.status === 0 ? result.stdout : undefined;
}

/** The commit plus every uncommitted change, so a developer's edits also trigger a rebuild. */
function currentRevision(): string | undefined {
  const head = git(["rev-parse", "HEAD"])?.trim();
  if (!head) return undefined;
  const changed = (git(["ls-files", "--modified", "--others", "--exclude-standard"]) ?? "").split("\n").filter(Boolean).sort();
  if (changed.length === 0) return head;
  const hash = createHash("sha256");
  for (const file of changed) {
    hash.update(file);
    try {
      hash.update(readFileSync(path.join(projectRoot, file)));
    } catch {
      hash.update("(deleted)");
    }
  }
  return `${head}+${hash.digest("hex").slice(0, 16)}`;
}

/** Whether `next build` must run: no build yet, or one made from another commit. */
function nextBuildIsMissingOrStale(): boolean {
  if (!existsSync(path.join(buildDir, "BUILD_ID"))) return true;
  const revision = currentRevision();
  if (!revision) return false;
  try {
    return JSON.parse(readFileSync(stampFile, "utf8")).revision !== revision;
  } catch {
    return true;
  }
}

/** Whether buildWebApp has work: the Next build is missing or stale, or the website widget was never built. */
export function buildIsMissingOrStale(): boolean {
  return !existsSync(path.join(projectRoot, widgetBundleFile)) || nextBuildIsMissingOrStale();
}

export async function buildWebApp(log: Logger, onLine: (line: string) => void): Promise<void> {
  // As in npm run build, the widget comes first; it takes under a second, so it is made every time.
  const widget = await buildWidget();
  log.info({ bytes: widget.bytes, gzipBytes: widget.gzipBytes }, "website widget built");
  if (!nextBuildIsMissingOrStale()) return;
  log.info("building the web app (first start or new code; about a minute on two cores)");
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(projectRoot, "node_modules/next/dist/bin/next"), "build"], {
    cwd: projectRoot,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      onLine(line);
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) {
    throw new StartupError(["the web app build failed; its last lines:", ...tail.slice(-15)]);
  }
  writeFileSync(stampFile, JSON.stringify({ revision: currentRevision() ?? null, builtAt: new Date().toISOString() }));
  log.info({ seconds: Math.round((Date.now() - started) / 1000) }, "web app built");
}
