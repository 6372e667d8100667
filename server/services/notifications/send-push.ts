import type { Agent } from "node:https";
import webpush, { WebPushError } from "web-push";
import type { DbClient } from "@/server/db/client";
import type { VapidKeys } from "@/server/config/vapid";
import { resolvePreferences, type NotificationType } from "@/lib/notifications/preferences";
import { translator } from "@/server/i18n/translate";
import { notificationView } from "./notification-view";
import { notificationLink } from "@/lib/notifications/link";
import { messageKey } from "@/lib/notifications/message-key";

/** What the service worker shows (public/sw.js): never the message's text unless the person allows previews. */
export type PushPayload = { title: string; body: string; url: string; tag: string; notificationId: string };

/**
 * Sends one notification to every device of its person (payloads encrypted per RFC 8291 by
 * web-push, signed with the server's VAPID keys). A device whose push service answers 404 or
 * 410 has gone (unsubscribed, uninstalled): its subscription is removed. A notification read
 * meanwhile is not pushed at all.
 */
export async function sendPush(
  inTenant: <T>(fn: (db: DbClient) => Promise<T>) => Promise<T>,
  input: { notificationId: string; vapid: VapidKeys; publicUrl: string; timeoutMs?: number; agent?: Agent },
): Promise<{ sent: number; removed: number; failed: number }> {
  // Read, then send with no transaction open (a push service may take seconds), then record.
  const prepared = await inTenant(async (db) => {
    const notification = await db.notification.findUnique({ where: { id: input.notificationId }, include: { user: { select: { locale: true } }, tenant: { select: { slug: true } } } });
    if (!notification || notification.readAt) return null;
    const [devices, stored] = await Promise.all([
      db.pushSubscription.findMany({ where: { userId: notification.userId } }),
      db.notificationPreference.findUnique({ where: { tenantId_userId: { tenantId: notification.tenantId, userId: notification.userId } }, select: { settings: true } }),
    ]);
    const preferences = resolvePreferences(stored?.settings);
    if (!preferences.types[notification.type as NotificationType].push || devices.length === 0) return null;
    const payload = await pushPayload(notification, { slug: notification.tenant.slug, locale: notification.user.locale, previews: preferences.previews, publicUrl: input.publicUrl });
    return { notification, devices, payload };
  });
  if (!prepared) return { sent: 0, removed: 0, failed: 0 };
  const { notification, devices, payload } = prepared;
  const body = JSON.stringify(payload);
  const delivered: string[] = [];
  const gone: string[] = [];
  let failed = 0;
  for (const device of devices) {
    try {
      await webpush.sendNotification({ endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } }, body, {
        vapidDetails: input.vapid,
        // A notification older than a day is no longer news.
        TTL: 24 * 3600,
        urgency: notification.type === "mention" || notification.type === "conversation.assigned" ? "high" : "normal",
        // Replaces an earlier push of the same conversation still waiting on the device.
        topic: (notification.conversationId ?? notification.id).replaceAll("-", "").slice(0, 32),
        timeout: input.timeoutMs ?? 10_000,
        ...(input.agent ? { agent: input.agent } : {}),
      });
      delivered.push(device.id);
    } catch (error) {
      // 404 and 410: the browser unsubscribed or the app was removed. Anything else (the push service
      // down, throttling) loses this push only: the entry is still in the centre, and email may follow.
      if (error instanceof WebPushError && (error.statusCode === 404 || error.statusCode === 410)) gone.push(device.id);
      else failed++;
    }
  }
  await inTenant(async (db) => {
    if (delivered.length) await db.pushSubscription.updateMany({ where: { id: { in: delivered } }, data: { lastSuccessAt: new Date() } });
    if (gone.length) await db.pushSubscription.deleteMany({ where: { id: { in: gone } } });
  });
  return { sent: delivered.length, removed: gone.length, failed };
}

async function pushPayload(
  notification: Parameters<typeof notificationView>[0] & { type: string },
  options: { slug: string; locale: string; previews: boolean; publicUrl: string },
): Promise<PushPayload> {
  const view = notificationView(notification);
  const t = await translator(options.locale, "notifications.push");
  const values = { contact: view.data.contactName || "—", actor: view.data.actorName ?? "—" };
  return {
    title: t(messageKey(view.type), values),
    body: options.previews && view.data.preview ? view.data.preview : t("hidden"),
    url: notificationLink({ publicUrl: options.publicUrl, slug: options.slug, notification: view }),
    tag: view.conversationId ?? view.id,
    notificationId: view.id,
  };
}
