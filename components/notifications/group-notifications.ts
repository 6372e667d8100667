import type { NotificationView } from "@/lib/events/payloads";

/** Entries about one conversation shown as one: the newest, and how many more came with it. */
export type NotificationGroup = { key: string; latest: NotificationView; ids: string[]; more: number; unread: boolean };

/**
 * The centre's list as people read it: every entry about the same conversation in one group
 * where the newest of them stands (a busy conversation is one line, not twenty), newest group
 * first; entries about no conversation stay alone.
 */
export function groupNotifications(notifications: NotificationView[]): NotificationGroup[] {
  const groups = new Map<string, NotificationGroup>();
  for (const notification of notifications) {
    const key = notification.conversationId ?? notification.id;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { key, latest: notification, ids: [notification.id], more: 0, unread: notification.readAt === null });
      continue;
    }
    group.ids.push(notification.id);
    group.more++;
    group.unread ||= notification.readAt === null;
    // A mention outranks the messages around it: the group says someone called for you.
    if (notification.type === "mention" && group.latest.type !== "mention") group.latest = notification;
  }
  return [...groups.values()];
}
