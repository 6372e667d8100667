import type { DbClient } from "@/server/db/client";
import { sendMail } from "@/server/mail/send-mail";
import { resolvePreferences, type NotificationType } from "@/lib/notifications/preferences";
import { translator } from "@/server/i18n/translate";
import { EMAIL_INTERVAL_MS } from "./delivery-jobs";
import { notificationLink } from "@/lib/notifications/link";
import { notificationView } from "./notification-view";
import { signUnsubscribeToken } from "./unsubscribe-token";
import { messageKey } from "@/lib/notifications/message-key";

export type MailSettings = { SMTP_URL?: string; MAIL_FROM: string };

/**
 * The email about one person's conversation: every notification of it they have neither read
 * nor been emailed about, of the types they want by email, in one message with a link to the
 * conversation and a "stop emails about this" link per type. At most one per conversation per
 * EMAIL_INTERVAL_MS: a job that runs early (a retry) goes back to wait. Nothing unread is left
 * (they saw it in the app): no email. A failed send throws, so the job retries it.
 */
export async function sendNotificationEmail(
  db: DbClient,
  input: { tenantId: string; userId: string; conversationId: string; mail: MailSettings; publicUrl: string; secret: string; now?: Date },
): Promise<{ sent: boolean; notifications: number; retryAt?: Date }> {
  const now = input.now ?? new Date();
  const last = await db.notificationEmail.findUnique({ where: { userId_conversationId: { userId: input.userId, conversationId: input.conversationId } } });
  if (last && now.getTime() - last.lastSentAt.getTime() < EMAIL_INTERVAL_MS) return { sent: false, notifications: 0, retryAt: new Date(last.lastSentAt.getTime() + EMAIL_INTERVAL_MS) };
  const [membership, stored, tenant] = await Promise.all([
    db.membership.findFirst({ where: { userId: input.userId }, select: { user: { select: { email: true, name: true, locale: true } } } }),
    db.notificationPreference.findUnique({ where: { tenantId_userId: { tenantId: input.tenantId, userId: input.userId } }, select: { settings: true } }),
    db.tenant.findUniqueOrThrow({ where: { id: input.tenantId }, select: { slug: true, name: true } }),
  ]);
  if (!membership) return { sent: false, notifications: 0 };
  const preferences = resolvePreferences(stored?.settings);
  const emailTypes = (Object.keys(preferences.types) as NotificationType[]).filter((type) => preferences.types[type].email);
  const pending = await db.notification.findMany({
    where: { userId: input.userId, conversationId: input.conversationId, readAt: null, emailedAt: null, type: { in: emailTypes } },
    orderBy: { createdAt: "asc" },
  });
  if (pending.length === 0) return { sent: false, notifications: 0 };

  const { user } = membership;
  const t = await translator(user.locale, "notifications");
  const views = pending.map(notificationView);
  const contact = views.at(-1)!.data.contactName || "—";
  const link = notificationLink({ publicUrl: input.publicUrl, slug: tenant.slug, notification: views.at(-1)! });
  const lines = views.map((view) => {
    const entry = t(`entry.${messageKey(view.type)}`, { contact, actor: view.data.actorName ?? "none" });
    const preview = view.data.preview ? (preferences.previews ? `\n    “${view.data.preview}”` : `\n    ${t("email.hiddenPreview")}`) : "";
    return `• ${entry}${preview}`;
  });
  const types = [...new Set(views.map((view) => view.type))];
  const unsubscribe = await Promise.all(
    types.map(async (type) => ({ type, url: `${input.publicUrl}/notifications/unsubscribe?token=${await signUnsubscribeToken({ tenantId: input.tenantId, userId: input.userId, type }, input.secret)}` })),
  );
  const text = [
    t("email.intro", { name: user.name, contact }),
    "",
    ...lines,
    "",
    t("email.open", { url: link }),
    "",
    "—",
    t("email.why", { workspace: tenant.name }),
    ...unsubscribe.map(({ type, url }) => t("email.unsubscribe", { type: t(`types.${messageKey(type)}`), url })),
    t("email.settings", { url: `${input.publicUrl}/t/${encodeURIComponent(tenant.slug)}/notifications` }),
  ].join("\n");
  const sent = await sendMail(
    {
      to: user.email,
      subject: t("email.subject", { count: views.length, contact }),
      text,
      // One-click unsubscribe (RFC 8058) of the type the email is about, which mail clients show as a button.
      headers: { "List-Unsubscribe": `<${unsubscribe[0]!.url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    },
    input.mail,
  );
  if (!sent) return { sent: false, notifications: 0 };
  await db.notification.updateMany({ where: { id: { in: pending.map((row) => row.id) } }, data: { emailedAt: now } });
  await db.notificationEmail.upsert({
    where: { userId_conversationId: { userId: input.userId, conversationId: input.conversationId } },
    create: { tenantId: input.tenantId, userId: input.userId, conversationId: input.conversationId, lastSentAt: now },
    update: { lastSentAt: now },
  });
  return { sent: true, notifications: pending.length };
}
