import { Logger, runMigrations } from "graphile-worker";
import pg from "pg";
import { APP_ROLE, type DbClient } from "@/server/db/client";

/**
 * Jobs are graphile-worker's, in its own schema of the same database, so a job
 * is enqueued in the same transaction as the change that needs it (a message
 * and its delivery commit together, or neither does).
 */

const silentLogger = new Logger(() => () => undefined);

/** Creates or upgrades graphile-worker's schema and lets the app role enqueue jobs. */
export async function installJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: silentLogger });
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // add_job writes graphile-worker's private tables as the caller, so the app role needs them.
    await client.query(`
      GRANT USAGE ON SCHEMA graphile_worker TO ${APP_ROLE};
      GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker TO ${APP_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA graphile_worker TO ${APP_ROLE};
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA graphile_worker TO ${APP_ROLE};`);
  } finally {
    await client.end();
  }
}

export type JobSpec = {
  task: string;
  payload: Record<string, unknown>;
  /** Jobs of one queue run one at a time, in order (one queue per chat keeps replies in order). */
  queue?: string;
  /** Replaces a pending job with the same key instead of adding a second one. */
  key?: string;
  runAt?: Date;
  maxAttempts?: number;
};

/** Enqueues on the caller's connection: inside a transaction, the job commits with it. */
export async function enqueue(db: DbClient, job: JobSpec): Promise<void> {
  await db.$executeRaw`SELECT graphile_worker.add_job(
    ${job.task}, ${JSON.stringify(job.payload)}::json,
    queue_name := ${job.queue ?? null}, run_at := ${job.runAt ?? null}::timestamptz,
    max_attempts := ${job.maxAttempts ?? null}::int, job_key := ${job.key ?? null})`;
}
