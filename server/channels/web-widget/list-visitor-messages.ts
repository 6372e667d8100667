import { z } from "zod";
import type { MessagesAnswer } from "@/lib/widget/protocol";
import { withTenantSql } from "@/server/db/app-pool";
import { projectMessages } from "./project-messages";
import { visitorConversations } from "./visitor-conversations";
import type { WidgetCall } from "./widget-call";
import { WidgetError } from "./widget-error";

const PAGE_SIZE = 30;

/**
 * `GET /api/widget/<publicId>/messages?before=<id>`: the visitor's thread,
 * newest page first and oldest-first within it — every conversation of
 * theirs in this channel as one thread, since to them it is one chat. Private
 * notes are not in it, nor anything of another visitor's: the cursor must be
 * one of this visitor's messages.
 */
export async function listVisitorMessages(call: WidgetCall): Promise<MessagesAnswer> {
  const { widget, deps } = call;
  const visitor = await call.visitor();
  const before = new URL(call.request.url).searchParams.get("before");
  if (before !== null && !z.uuid().safeParse(before).success) throw new WidgetError(400, "BAD_CURSOR", "not a message of this conversation", { fieldErrors: { before: ["not a message id"] } });
  const page = await withTenantSql(deps.appPool, widget.tenantId, async (client) => {
    const conversations = await visitorConversations(client, widget, visitor.visitorId);
    if (conversations.length === 0) {
      if (before !== null) throw new WidgetError(400, "BAD_CURSOR", "not a message of this conversation", { fieldErrors: { before: ["not a message of this conversation"] } });
      return { rows: [], more: false, agentReadAt: null };
    }
    const ids = conversations.map((conversation) => conversation.id);
    let cursor: { createdAt: Date; id: string } | undefined;
    if (before !== null) {
      const { rows } = await client.query<{ createdAt: Date; id: string }>({
        name: "widget_cursor",
        text: `SELECT "createdAt", id FROM "Message" WHERE id = $1 AND "conversationId" = ANY($2::uuid[]) AND NOT "isPrivate"`,
        values: [before, ids],
      });
      cursor = rows[0];
      if (!cursor) throw new WidgetError(400, "BAD_CURSOR", "not a message of this conversation", { fieldErrors: { before: ["not a message of this conversation"] } });
    }
    const { rows } = await client.query({
      name: "widget_thread_page",
      text: `SELECT * FROM "Message" WHERE "conversationId" = ANY($1::uuid[]) AND NOT "isPrivate"
               AND ($2::timestamp IS NULL OR ("createdAt", id) < ($2::timestamp, $3::uuid))
             ORDER BY "createdAt" DESC, id DESC LIMIT $4`,
      values: [ids, cursor ? cursor.createdAt.toISOString() : null, cursor?.id ?? null, PAGE_SIZE + 1],
    });
    const readAt = conversations.map((conversation) => conversation.agentReadAt).filter((at) => at !== null);
    const agentReadAt = readAt.length > 0 ? new Date(Math.max(...readAt.map((at) => at.getTime()))) : null;
    return { rows: rows.slice(0, PAGE_SIZE).reverse(), more: rows.length > PAGE_SIZE, agentReadAt };
  });
  const messages = await projectMessages(page.rows, { systemPool: deps.systemPool, secret: deps.secret, widget });
  return { messages, olderCursor: page.more && messages[0] ? messages[0].id : null, agentReadAt: page.agentReadAt?.toISOString() ?? null };
}
