import type { NotificationView } from "@/lib/events/payloads";

type Row = { id: string; type: string; conversationId: string | null; messageId: string | null; actorUserId: string | null; data: unknown; readAt: Date | null; createdAt: Date };

/** A stored notification as the API and its realtime event show it: exactly these fields. */
export function notificationView(row: Row): NotificationView {
  const data = (row.data ?? {}) as Partial<NotificationView["data"]>;
  return {
    id: row.id,
    type: row.type as NotificationView["type"],
    conversationId: row.conversationId,
    messageId: row.messageId,
    actorUserId: row.actorUserId,
    data: { contactName: data.contactName ?? "", actorName: data.actorName ?? null, preview: data.preview ?? "" },
    readAt: row.readAt,
    createdAt: row.createdAt,
  };
}
