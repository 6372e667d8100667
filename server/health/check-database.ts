import type { DbClient } from "@/server/db/client";

export type DatabaseHealth = { ok: true; latencyMs: number } | { ok: false; error: string };

/** One round trip to the database, bounded so a hung connection cannot hang the probe. */
export async function checkDatabase(db: DbClient, timeoutMs = 2000): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, error: (error as Error).message.split("\n")[0] ?? "unknown error" };
  } finally {
    clearTimeout(timer);
  }
}
