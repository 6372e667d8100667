import { Logger as WorkerLogger, run, type Runner, type WorkerEvents } from "graphile-worker";
import type { AppDb, SystemDb } from "@/server/db/client";
import type { Logger } from "@/server/logger";
import { deliverMessage, RetryLater } from "@/server/channels/core/deliver";
import { DELIVER_TASK, LEGACY_DELIVER_TASKS } from "@/server/channels/core/queue-delivery";
import type { SendLimits } from "@/server/channels/core/send-limits";
import { channelJobs } from "@/server/channels/core/channel-jobs";
import { announceEvents } from "@/server/realtime/announce";
import { runAutoReply } from "@/server/services/automation/auto-reply";
import { AUTO_REPLY_TASK, type AutoReplyJob } from "@/server/services/automation/auto-reply-trigger";
import type { JobOrigin } from "@/server/jobs/queue";
import { jobTask, type JobTask } from "./job-task";
import { notificationJobs } from "./notification-jobs";
import type { MailSettings } from "@/server/services/notifications/send-notification-email";
import { scheduledJobs, scheduledTaskList } from "./scheduled-tasks";

/**
 * The worker's job runner: graphile-worker claims each job in one process
 * (SKIP LOCKED), runs a chat's jobs in order, and retries failures with
 * exponential backoff. It connects as the tables' owner (its own schema); the
 * task's reads and writes go through the tenant-scoped app client. With
 * `scheduled`, it also runs the periodic jobs (auto-resolve, retention purge),
 * which need the owner's client to find the workspaces they concern.
 */
export async function startDeliveryRunner(options: {
  connectionString: string;
  appDb: AppDb;
  limits: SendLimits;
  log: Logger;
  concurrency?: number;
  events?: WorkerEvents;
  scheduled?: { systemDb: SystemDb };
  /** Pushes and emails of notifications: how mail goes, and the secret unsubscribe links are signed with. */
  notifications?: { mail: MailSettings; secret: string };
}): Promise<Runner> {
  const { log } = options;
  const logger = new WorkerLogger((scope) => (level, message, meta) => {
    // graphile-worker names a failure `error`; pino writes an Error's message and stack only under `err`.
    const { error, ...rest } = (meta ?? {}) as { error?: unknown };
    const fields = { scope, ...rest, ...(error === undefined ? {} : { err: error }) };
    if (level === "error") log.error(fields, message);
    else if (level === "warning") log.warn(fields, message);
    else log.debug({ scope }, message);
  });
  const deliver: JobTask = async (payload, job) => {
    const delivery = payload as { tenantId: string; messageId: string } & JobOrigin;
    const { attempts, max_attempts: max } = job.helpers.job;
    try {
      const result = await deliverMessage({ appDb: options.appDb, limits: options.limits, log: job.log }, delivery, { number: attempts, max });
      if (result !== "skipped") announceEvents(options.appDb);
      job.log.info({ messageId: delivery.messageId, result, attempt: attempts }, "delivery job done");
    } catch (error) {
      if (error instanceof RetryLater) job.log.info({ messageId: delivery.messageId, reason: error.message }, "delivery will be retried");
      throw error;
    }
  };
  const concurrency = options.concurrency ?? 5;
  return run({
    connectionString: options.connectionString,
    concurrency,
    // graphile-worker's own pool: a connection per running job, its LISTEN and one to claim with (its default is 10).
    maxPoolSize: concurrency + 2,
    noHandleSignals: true,
    pollInterval: 1000,
    events: options.events,
    logger,
    ...(options.scheduled ? { parsedCronItems: scheduledJobs } : {}),
    taskList: Object.fromEntries(
      Object.entries({
        ...(options.scheduled ? scheduledTaskList({ appDb: options.appDb, systemDb: options.scheduled.systemDb }) : {}),
        [AUTO_REPLY_TASK]: async (payload, job) => {
          const autoReply = payload as AutoReplyJob;
          const outcome = await runAutoReply({ appDb: options.appDb, log: job.log }, autoReply);
          job.log.info({ conversationId: autoReply.conversationId, ...outcome }, "auto-reply job done");
        },
        ...channelJobs(options.appDb),
        ...(options.notifications ? notificationJobs({ appDb: options.appDb, ...options.notifications }) : {}),
        ...Object.fromEntries([DELIVER_TASK, ...LEGACY_DELIVER_TASKS].map((name) => [name, deliver])),
      } satisfies Record<string, JobTask>).map(([name, task]) => [name, jobTask(log, task)]),
    ),
  });
}
