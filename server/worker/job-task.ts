import type { JobHelpers, Task } from "graphile-worker";
import type { JobOrigin } from "@/server/jobs/queue";
import type { Logger } from "@/server/logger";
import { inSpan, SpanKind } from "@/server/telemetry/tracing";

/** What a task gets to know about the job it runs, beside its payload. */
export type JobContext = {
  helpers: JobHelpers;
  /**
   * The request the job works for: the one that enqueued it (its payload's
   * requestId, put there by public.app_add_job), or for scheduled work the job's
   * own `job:<id>`. Tasks pass it to the transactions they open, so the events
   * those write carry it too.
   */
  requestId: string;
  /** Every line the job logs carries its job id, task and request id. */
  log: Logger;
};

export type JobTask = (payload: unknown, job: JobContext) => Promise<void>;

/**
 * A graphile-worker task that runs `task` with its job's context, in a span of
 * the trace that enqueued it (when tracing is on): the transactions the task
 * opens record that span, so the events it writes continue the same trace.
 */
export function jobTask(log: Logger, task: JobTask): Task {
  return (payload, helpers) => {
    const origin = (payload ?? {}) as JobOrigin;
    const requestId = typeof origin.requestId === "string" ? origin.requestId : `job:${helpers.job.id}`;
    const { id, task_identifier: name, attempts } = helpers.job;
    return inSpan(
      `job ${name}`,
      { kind: SpanKind.CONSUMER, parent: { traceparent: typeof origin.traceparent === "string" ? origin.traceparent : null }, attributes: { "job.id": id, "job.attempt": attempts } },
      () => task(payload, { helpers, requestId, log: log.child({ jobId: id, task: name, requestId }) }),
    );
  };
}
