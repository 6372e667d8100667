import type pg from "pg";

const TTL_MS = 30_000;

/**
 * Whether a page origin is one some live widget allows, cached half a minute:
 * the realtime engine asks for every polling request from a page that is not
 * the product's own, before any namespace has looked at it.
 */
export function widgetOrigins(systemPool: pg.Pool): (origin: string) => Promise<boolean> {
  const known = new Map<string, { allowed: boolean; at: number }>();
  return async (origin) => {
    const entry = known.get(origin);
    if (entry && Date.now() - entry.at < TTL_MS) return entry.allowed;
    const { rows } = await systemPool.query<{ allowed: boolean }>({
      name: "visitor_origin_allowed",
      text: `SELECT EXISTS (SELECT 1 FROM "WebWidgetChannel" w JOIN "Channel" c ON c.id = w."channelId" WHERE $1 = ANY(w."allowedOrigins") AND c.status <> 'disconnected') AS allowed`,
      values: [origin],
    });
    const allowed = rows[0]?.allowed === true;
    known.set(origin, { allowed, at: Date.now() });
    if (known.size > 1_000) known.delete(known.keys().next().value!);
    return allowed;
  };
}
