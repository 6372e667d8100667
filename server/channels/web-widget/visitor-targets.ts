import type pg from "pg";

/** Who a widget conversation's visitor is: the room their sockets are in, and the widget's public id and name for their links and bylines. */
export type VisitorTarget = { tenantId: string; channelId: string; visitorId: string; publicId: string; widgetName: string };

const KEPT = 20_000;
const TTL_MS = 10 * 60_000;

/**
 * Each conversation's visitor (or none: a conversation of another channel),
 * cached by conversation id: a realtime node asks for every event it routes,
 * and conversations do not change hands — except a visitor signing in, whose
 * conversations the namespace records afresh when they connect. Bounded and
 * refreshed after a while either way.
 */
export function visitorTargets(systemPool: pg.Pool) {
  const known = new Map<string, { target: VisitorTarget | null; at: number }>();
  const remember = (conversationId: string, target: VisitorTarget | null) => {
    known.delete(conversationId);
    known.set(conversationId, { target, at: Date.now() });
    if (known.size > KEPT) known.delete(known.keys().next().value!);
  };
  const load = async (conversationIds: string[]) => {
    const wanted = [...new Set(conversationIds)].filter((id) => {
      const entry = known.get(id);
      return !entry || Date.now() - entry.at > TTL_MS;
    });
    if (wanted.length === 0) return;
    const { rows } = await systemPool.query<{ id: string; tenantId: string; channelId: string; externalChatId: string; publicId: string | null; widgetName: string }>({
      name: "visitor_targets",
      text: `SELECT c.id, c."tenantId", c."channelId", c."externalChatId", w."publicId", ch.name AS "widgetName"
             FROM "Conversation" c JOIN "Channel" ch ON ch.id = c."channelId" LEFT JOIN "WebWidgetChannel" w ON w."channelId" = c."channelId"
             WHERE c.id = ANY($1::uuid[])`,
      values: [wanted],
    });
    for (const id of wanted) {
      const row = rows.find((candidate) => candidate.id === id);
      remember(id, row?.publicId ? { tenantId: row.tenantId, channelId: row.channelId, visitorId: row.externalChatId, publicId: row.publicId, widgetName: row.widgetName } : null);
    }
  };
  return {
    load,
    remember,
    /** After `load`: the conversation's visitor, or null. */
    get: (conversationId: string) => known.get(conversationId)?.target ?? null,
    of: async (conversationId: string) => {
      await load([conversationId]);
      return known.get(conversationId)?.target ?? null;
    },
  };
}
