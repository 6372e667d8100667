import { EventEmitter } from "node:events";
import type { WorkerEvents } from "graphile-worker";
import pg from "pg";
import type { Logger } from "@/server/logger";

/**
 * graphile-worker leaves a job locked by a worker that died without stopping
 * (SIGKILL, a lost machine) for four hours. Here each worker pool holds a
 * PostgreSQL advisory lock for as long as it lives; every worker periodically
 * looks for jobs locked by a pool whose advisory lock is free — a dead pool —
 * and hands them back to the queue. The job then runs again from where the
 * delivery left off (see deliverMessage), so nothing stays stuck.
 */
export function createPoolLiveness(options: { connectionString: string; log: Logger; staleAfterSeconds?: number; scanEveryMs?: number }) {
  const { log } = options;
  const staleAfter = options.staleAfterSeconds ?? 30;
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  const holder = new pg.Client({ connectionString: options.connectionString });
  holder.on("error", () => undefined);
  const ready = holder.connect();
  const lockName = (poolId: string) => `support-chat-job-pool:${poolId}`;
  // Advisory locks are re-entrant within a session: our own pools must never look dead to us.
  const ownPools = new Set<string>();

  events.on("pool:create", ({ workerPool }) => {
    ownPools.add(workerPool.id);
    void ready.then(() => holder.query("SELECT pg_advisory_lock(hashtext($1))", [lockName(workerPool.id)]));
  });

  async function recover(): Promise<string[]> {
    await ready;
    const { rows } = await holder.query<{ locked_by: string }>(
      `SELECT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $1)
       UNION SELECT locked_by FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $1)`,
      [staleAfter],
    );
    const released: string[] = [];
    for (const { locked_by: poolId } of rows) {
      if (ownPools.has(poolId)) continue;
      const free = await holder.query<{ free: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS free", [lockName(poolId)]);
      if (!free.rows[0]?.free) continue;
      try {
        await holder.query("SELECT graphile_worker.force_unlock_workers($1::text[])", [[poolId]]);
        released.push(poolId);
        log.warn({ pool: poolId }, "released jobs held by a worker that is gone");
      } finally {
        await holder.query("SELECT pg_advisory_unlock(hashtext($1))", [lockName(poolId)]);
      }
    }
    return released;
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    /** Pass to graphile-worker's run() so each new pool takes its liveness lock. */
    events,
    start() {
      const scan = () => void recover().catch((error: unknown) => log.error({ err: error }, "stale job scan failed"));
      scan();
      timer = setInterval(scan, options.scanEveryMs ?? 15_000);
    },
    recover,
    async stop() {
      clearInterval(timer);
      await holder.end().catch(() => undefined);
    },
  };
}
