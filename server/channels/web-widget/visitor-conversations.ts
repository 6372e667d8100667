import type pg from "pg";

export type VisitorConversation = { id: string; status: string; agentReadAt: Date | null; createdAt: Date };

/**
 * A visitor's conversations in a channel, newest first: the visitor's chat is
 * their own id (intake files each visitor's messages under it), so these and
 * nothing else are theirs. Runs in the channel tenant's transaction.
 */
export async function visitorConversations(db: pg.ClientBase, scope: { channelId: string }, visitorId: string): Promise<VisitorConversation[]> {
  const { rows } = await db.query<VisitorConversation>({
    name: "widget_visitor_conversations",
    text: `SELECT id, status::text AS status, "agentReadAt", "createdAt" FROM "Conversation" WHERE "channelId" = $1 AND "externalChatId" = $2 ORDER BY "createdAt" DESC, id DESC LIMIT 200`,
    values: [scope.channelId, visitorId],
  });
  return rows;
}
