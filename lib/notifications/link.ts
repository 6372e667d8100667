import type { NotificationView } from "@/lib/events/payloads";

/**
 * Where a notification opens: its conversation in the inbox, with the message it is about
 * (the note that mentions, the new message) highlighted, and the notification to mark read.
 */
export function notificationLink(input: { publicUrl: string; slug: string; notification: Pick<NotificationView, "id" | "conversationId" | "messageId"> }): string {
  const { notification } = input;
  const path = `/t/${encodeURIComponent(input.slug)}/inbox${notification.conversationId ? `/${notification.conversationId}` : ""}`;
  const query = new URLSearchParams({ notification: notification.id, ...(notification.messageId ? { message: notification.messageId } : {}) });
  return `${input.publicUrl}${path}?${query}`;
}
