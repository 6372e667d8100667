import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { notificationView } from "./notification-view";

/**
 * A person's notification centre, newest first, a page at a time: `cursor` is the id of the
 * last entry of the previous page. Only the entries they chose to see in the app.
 */
export async function listNotifications(db: DbClient, input: { userId: string; cursor?: string; limit: number; unreadOnly?: boolean }) {
  const where = { userId: input.userId, inApp: true, ...(input.unreadOnly ? { readAt: null } : {}) };
  if (input.cursor && !(await db.notification.findFirst({ where: { ...where, id: input.cursor }, select: { id: true } }))) {
    throw new AppError("BAD_REQUEST", "this cursor is not one of your notifications; start from the first page", { fieldErrors: { cursor: ["not one of your notifications"] } });
  }
  const rows = await db.notification.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { notifications: page.map(notificationView), nextCursor: rows.length > input.limit ? page.at(-1)!.id : null };
}
