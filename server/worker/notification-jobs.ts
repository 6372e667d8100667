import type { AppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { vapidKeys } from "@/server/config/vapid";
import { processPublicUrl } from "@/lib/env";
import { EMAIL_TASK, PUSH_TASK } from "@/server/services/notifications/delivery-jobs";
import { sendNotificationEmail, type MailSettings } from "@/server/services/notifications/send-notification-email";
import { sendPush } from "@/server/services/notifications/send-push";
import { enqueue } from "@/server/jobs/queue";
import type { JobTask } from "./job-task";

type PushJob = { tenantId: string; notificationId: string };
type EmailJob = { tenantId: string; userId: string; conversationId: string };

/** The worker's notification jobs: a push to a person's devices, an email about a conversation. */
export function notificationJobs(options: { appDb: AppDb; mail: MailSettings; secret: string }): Record<string, JobTask> {
  const { appDb } = options;
  return {
    [PUSH_TASK]: async (payload, job) => {
      const push = payload as PushJob;
      const vapid = vapidKeys();
      if (!vapid) return;
      // The service worker opens the link on the product's own origin, so a path is enough.
      const result = await sendPush((fn) => withTenant(appDb, push.tenantId, fn, { requestId: job.requestId }), { notificationId: push.notificationId, vapid, publicUrl: "" });
      job.log.info({ notificationId: push.notificationId, ...result }, "push job done");
    },
    [EMAIL_TASK]: async (payload, job) => {
      const email = payload as EmailJob;
      await withTenant(
        appDb,
        email.tenantId,
        async (db) => {
          const result = await sendNotificationEmail(db, { ...email, mail: options.mail, publicUrl: processPublicUrl(), secret: options.secret });
          // Too soon after the last email (a retry, or a key replaced late): back to wait for its time.
          if (result.retryAt) await enqueue(db, { task: EMAIL_TASK, payload: email, key: `notification-email:${email.userId}:${email.conversationId}`, runAt: result.retryAt, maxAttempts: 10 });
          job.log.info({ conversationId: email.conversationId, sent: result.sent, notifications: result.notifications }, "notification email job done");
        },
        { requestId: job.requestId },
      );
    },
  };
}
