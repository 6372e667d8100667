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
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // Every process installs at start; catalog changes (GRANT, CREATE OR REPLACE) made by two
    // sessions at once fail with "tuple concurrently updated", so they take turns.
    await client.query("SELECT pg_advisory_lock(hashtext('support-chat:job-queue'))");
    await runMigrations({ connectionString, logger: silentLogger });
    // graphile-worker guards its tables with row-level security, so the app role
    // gets one narrow door instead of table rights: a function that runs as the owner.
    // A job enqueued inside a request's transaction carries its id and trace context
    // (app.request_id and app.traceparent, see withTenant) as `requestId` and
    // `traceparent`, unless the payload names them itself.
    await client.query(`
      CREATE OR REPLACE FUNCTION public.app_add_job(identifier text, payload json, queue_name text, run_at timestamptz, max_attempts int, job_key text)
        RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog
        AS $$ SELECT FROM graphile_worker.add_job(identifier,
          CASE WHEN json_typeof(payload) <> 'object' THEN payload
               ELSE (jsonb_strip_nulls(jsonb_build_object(
                       'requestId', nullif(current_setting('app.request_id', true), ''),
                       'traceparent', nullif(current_setting('app.traceparent', true), ''))) || payload::jsonb)::json END,
          queue_name := queue_name, run_at := run_at, max_attempts := max_attempts, job_key := job_key) $$;
      REVOKE ALL ON FUNCTION public.app_add_job(text, json, text, timestamptz, int, text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION public.app_add_job(text, json, text, timestamptz, int, text) TO ${APP_ROLE};`);
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('support-chat:job-queue'))").catch(() => undefined);
    await client.end();
  }
}

/** What every job's payload may carry besides its own fields (added by public.app_add_job). */
export type JobOrigin = { requestId?: string; traceparent?: string };

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
  await db.$executeRaw`SELECT public.app_add_job(
    ${job.task}, ${JSON.stringify(job.payload)}::json, ${job.queue ?? null}::text,
    ${job.runAt ?? null}::timestamptz, ${job.maxAttempts ?? null}::int, ${job.key ?? null}::text)`;
}
