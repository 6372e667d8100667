import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/server/db/embedded";
import { migrate } from "@/server/db/migrate";
import { installJobQueue } from "@/server/jobs/queue";
import { freePort } from "@/server/test/free-port";

/** What every benchmark shares: its database, its scenario file, and how figures are rounded. */

/**
 * A migrated database with the job queue: DATABASE_URL when set, else a
 * throwaway embedded PostgreSQL (as a fresh machine has), removed by `close`.
 */
export async function openBenchDatabase(): Promise<{ url: string; close: () => Promise<void> }> {
  const given = process.env.DATABASE_URL;
  let url = given;
  let close = async () => {};
  if (!url) {
    const dir = mkdtempSync(path.join(tmpdir(), "sc-bench-"));
    chmodSync(dir, 0o711); // as root, the embedded database runs as the postgres user
    const cluster = await startEmbeddedPostgres({ dir: path.join(dir, "postgres"), port: await freePort(), password: "bench-password-only", ephemeral: true });
    url = cluster.url();
    close = async () => {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  await migrate(url);
  await installJobQueue(url);
  return { url, close };
}

/** `bench/<name>.json`. */
export function readScenario<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(import.meta.dirname, `${name}.json`), "utf8")) as T;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The p-th percentile of some values (nearest rank). */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
