import type { DbClient } from "@/server/db/client";

/** A push of one notification to each of its person's devices. */
export const PUSH_TASK = "notification-push";
/** One email about a conversation's unread notifications for one person. */
export const EMAIL_TASK = "notification-email";

/** How long notifications gather before an email goes: someone at their desk reads them in the app first, and quick messages share one email. */
export const EMAIL_GATHER_MS = 2 * 60_000;
/** At most one email per conversation per person in this long. */
export const EMAIL_INTERVAL_MS = 10 * 60_000;

/**
 * When the email about a person's conversation goes: after the gathering time of its oldest
 * notification not yet emailed, and not before the interval since the last email. Every
 * notification of the batch computes the same time, so replacing the waiting job (its key)
 * never pushes the email further away.
 */
export async function emailRunAt(db: DbClient, input: { userId: string; conversationId: string; now: Date }): Promise<Date> {
  const [pending, last] = await Promise.all([
    db.notification.findFirst({ where: { userId: input.userId, conversationId: input.conversationId, emailedAt: null, readAt: null }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
    db.notificationEmail.findUnique({ where: { userId_conversationId: { userId: input.userId, conversationId: input.conversationId } }, select: { lastSentAt: true } }),
  ]);
  const gathered = (pending?.createdAt ?? input.now).getTime() + EMAIL_GATHER_MS;
  const allowed = last ? last.lastSentAt.getTime() + EMAIL_INTERVAL_MS : 0;
  return new Date(Math.max(gathered, allowed));
}
