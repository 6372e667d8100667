import { withTenantSql } from "@/server/db/app-pool";
import { requestIdFrom, REQUEST_ID_HEADER } from "@/server/http/api-error";
import { announceEvents } from "@/server/realtime/announce";
import { ingestInbound } from "../core/intake";
import type { WidgetCall } from "./widget-call";

/**
 * `POST /api/widget/<publicId>/read`: the visitor has seen the thread up to
 * now. Intake records it on their latest conversation (`contactReadAt`) and
 * tells the inbox. Only when the team wrote since the last read: the widget
 * says "read" often, and a read that changes nothing is not worth a row.
 */
export async function markVisitorRead(call: WidgetCall, now = new Date()): Promise<{ readAt: string | null }> {
  const { widget, deps } = call;
  const visitor = await call.visitor();
  const scope = { tenantId: widget.tenantId, channelId: widget.channelId };
  const result = await withTenantSql(
    deps.appPool,
    widget.tenantId,
    async (client) => {
      const { rows } = await client.query<{ unread: boolean }>({
        name: "widget_visitor_unread",
        text: `SELECT EXISTS (
                 SELECT 1 FROM "Message" m WHERE m."conversationId" = c.id AND m.direction = 'outbound' AND NOT m."isPrivate"
                   AND (c."contactReadAt" IS NULL OR m."createdAt" > c."contactReadAt")
               ) AS unread
               FROM "Conversation" c WHERE c."channelId" = $1 AND c."externalChatId" = $2 ORDER BY c."createdAt" DESC LIMIT 1`,
        values: [widget.channelId, visitor.visitorId],
      });
      if (!rows[0]?.unread) return "ignored";
      return ingestInbound(client, scope, { kind: "read", dedupeKey: JSON.stringify(["read", visitor.visitorId, now.getTime()]), chat: { id: visitor.visitorId }, at: now });
    },
    { requestId: requestIdFrom(call.request.headers.get(REQUEST_ID_HEADER)) },
  );
  if (result === "ok") announceEvents(deps.appPool);
  return { readAt: result === "ok" ? now.toISOString() : null };
}
