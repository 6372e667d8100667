import type { DbClient } from "@/server/db/client";

/** How many of a person's notification centre entries are unread (the bell's count). */
export function unreadCount(db: DbClient, input: { userId: string }): Promise<number> {
  return db.notification.count({ where: { userId: input.userId, inApp: true, readAt: null } });
}
