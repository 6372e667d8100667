import path from "node:path";
import type { Config } from "@/server/config/config";
import { StartupError } from "@/server/config/fail";
import type { Logger } from "@/server/logger";
import { embeddedUrl, runningPostmaster, startEmbeddedPostgres } from "./embedded";
import { installJobQueue } from "@/server/jobs/queue";
import { migrate } from "./migrate";

export type DatabaseHandle = {
  url: string;
  /** True when this process started the embedded cluster and must stop it. */
  ownsEmbedded: boolean;
  close: () => Promise<void>;
};

export function embeddedDir(config: Pick<Config, "dataDir">): string {
  return path.join(config.dataDir, "postgres");
}

/**
 * How a process may use the embedded cluster when DATABASE_URL is unset:
 * - "own": start it and stop it on exit (npm start);
 * - "reuse": connect to the one npm start runs, fail when none runs (one process each);
 * - "reuse-or-start": connect to a running one, or run one for as long as this process lives (the CLI).
 */
export type EmbeddedUse = "own" | "reuse" | "reuse-or-start";

/**
 * Where the data lives: DATABASE_URL when set, otherwise the embedded cluster
 * under the data directory. Migrations are applied either way.
 */
export async function openDatabase(
  config: Config,
  options: { log?: Logger; embedded: EmbeddedUse },
): Promise<DatabaseHandle> {
  const { log } = options;
  if (config.DATABASE_URL) {
    await migrateOrExplain(config.DATABASE_URL, log);
    return { url: config.DATABASE_URL, ownsEmbedded: false, close: async () => {} };
  }
  const password = config.local!.postgresPassword;
  const dir = embeddedDir(config);
  const running = runningPostmaster(dir);
  if (running && options.embedded !== "own") {
    const url = embeddedUrl(running.port, password, undefined, dir);
    await migrateOrExplain(url, log);
    return { url, ownsEmbedded: false, close: async () => {} };
  }
  if (options.embedded === "reuse") {
    throw new StartupError(
      "DATABASE_URL is not set and the embedded database is not running; run npm start (which starts it) or set DATABASE_URL",
    );
  }
  const cluster = await startEmbeddedPostgres({ dir, port: config.EMBEDDED_POSTGRES_PORT, password, log });
  try {
    await migrateOrExplain(cluster.url(), log);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return { url: cluster.url(), ownsEmbedded: true, close: cluster.stop };
}

async function migrateOrExplain(url: string, log?: Logger): Promise<void> {
  try {
    const { applied } = await migrate(url, { log });
    await installJobQueue(url);
    if (applied.length > 0) log?.info({ applied }, "database migrated");
  } catch (error) {
    const err = error as Error & { code?: string };
    if (err.name === "MigrationError") throw new StartupError(err.message);
    throw new StartupError(`cannot reach the database at ${redactUrl(url)}: ${err.message || err.code}`);
  }
}

/** postgres://user:secret@host/db → postgres://user:***@host/db */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
