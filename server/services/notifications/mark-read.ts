import type { DbClient } from "@/server/db/client";
import { recordEvent } from "@/server/services/events/record-event";
import { unreadCount } from "./unread-count";

/**
 * Marks some of a person's notifications read: these ids, or every one about a conversation
 * (opening it reads its whole group), or all of them. Their other tabs and devices hear of it
 * (`notification.read`, to them alone). Ids that are not theirs change nothing.
 */
export async function markRead(db: DbClient, input: { tenantId: string; userId: string; ids?: string[]; conversationId?: string; all?: boolean; now?: Date }) {
  const selector = input.all ? {} : { OR: [...(input.ids?.length ? [{ id: { in: input.ids } }] : []), ...(input.conversationId ? [{ conversationId: input.conversationId }] : [])] };
  if (!input.all && selector.OR!.length === 0) return { marked: 0, unread: await unreadCount(db, input) };
  const where = { userId: input.userId, readAt: null, ...selector };
  const marked = await db.notification.updateManyAndReturn({ where, data: { readAt: input.now ?? new Date() }, select: { id: true } });
  const unread = await unreadCount(db, input);
  if (marked.length > 0) {
    await recordEvent(db, {
      tenantId: input.tenantId,
      type: "notification.read",
      payload: { userId: input.userId, ids: input.all ? "all" : marked.map((row) => row.id), ...(input.conversationId ? { conversationId: input.conversationId } : {}), unread },
    });
  }
  return { marked: marked.length, unread };
}
