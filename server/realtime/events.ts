import type pg from "pg";
import type { RealtimeEvent, RealtimeEventType } from "@/lib/realtime/events";
import type { RelayPosition } from "./relay";
import { withTenantSql } from "@/server/db/app-pool";

/** An event of the log as the realtime server handles it: what sockets receive, and who may. */
export type LoggedEvent = RealtimeEvent & {
  /** A private note (or something about one): agents and API keys with notes:read only. */
  privateNote: boolean;
  /** An event for one person only (their notification centre): only that user's sockets receive it. */
  recipientUserId: string | null;
  /** The request that caused it (server-side only: it goes to the logs, never on the wire). */
  requestId: string | null;
  /** Its trace while tracing is on (server-side only, like requestId). */
  traceparent: string | null;
};


const columns = (alias: string) => `${alias}.id::text AS id, ${alias}."tenantId", ${alias}.type, ${alias}."conversationId", ${alias}.payload, ${alias}."createdAt", ${alias}."requestId", ${alias}.traceparent`;

export type EventRow = { id: string; tenantId: string; type: string; conversationId: string | null; payload: Record<string, unknown>; createdAt: Date; requestId: string | null; traceparent: string | null };

/** Events addressed to one person: nobody else's socket — no teammate's, no API key's, no visitor's — gets them. */
const personalEventTypes = new Set<string>(["notification.created", "notification.read"]);

export function toLoggedEvent(row: EventRow): LoggedEvent {
  const message = row.payload.message as { isPrivate?: boolean } | undefined;
  return {
    eventId: row.id,
    tenantId: row.tenantId,
    type: row.type as RealtimeEventType,
    conversationId: row.conversationId,
    at: row.createdAt.toISOString(),
    privateNote: message?.isPrivate === true,
    recipientUserId: personalEventTypes.has(row.type) && typeof row.payload.userId === "string" ? row.payload.userId : personalEventTypes.has(row.type) ? "" : null,
    data: row.payload,
    requestId: row.requestId,
    traceparent: row.traceparent,
  };
}

// What the relay has read ($4 last id, $5 running, $7 running from), of the visitor's conversations only when $6 names them.
const relayHasRead = `($4::bigint IS NULL OR id <= $4::bigint) AND NOT (txid = ANY($5::xid8[]) OR ($7::xid8 IS NOT NULL AND txid >= $7::xid8))
  AND ($6::uuid[] IS NULL OR "conversationId" = ANY($6::uuid[]))`;

/**
 * The events of tenant $2 after event $1 (at most $3). Two index ranges, the
 * ids after the last one and the earlier transactions' events, so a catch-up
 * costs what it returns, not the tenant's whole log.
 */
export const CATCH_UP_QUERY = `WITH last AS (SELECT id, txmin FROM "Event" WHERE id = $1::bigint AND "tenantId" = $2)
  SELECT ${columns("e")} FROM last LEFT JOIN LATERAL (
    (SELECT * FROM "Event" WHERE "tenantId" = $2 AND id > last.id AND ${relayHasRead} ORDER BY id LIMIT $3)
    UNION ALL
    (SELECT * FROM "Event" WHERE "tenantId" = $2 AND id < last.id AND txid >= last.txmin AND txid < pg_snapshot_xmax(pg_current_snapshot()) AND ${relayHasRead})
    ORDER BY id LIMIT $3
  ) e ON true
  ORDER BY e.id`;

export type CatchUp = { kind: "events"; events: LoggedEvent[] } | { kind: "resync"; reason: string };

/**
 * What a client that last saw `lastEventId` has missed, in id order: every later
 * event of its tenant, and the few earlier ones whose transaction was still
 * running when that event was written (they may have committed after it; see
 * the event_stream migration). The client drops the ones it already has. More
 * than `limit`, or an event the log no longer has (or never had for this
 * tenant): the client must load its data afresh. Only what the node's relay
 * has already read (`upTo`) is sent from here; what it reads later reaches the
 * client live, so nothing arrives twice and nothing falls in between.
 */
export async function catchUp(
  appPool: pg.Pool,
  tenantId: string,
  lastEventId: string,
  limit: number,
  upTo: RelayPosition,
  /** Only the events of these conversations (a website visitor's own); the limit counts those only. */
  only?: { conversationIds: string[] },
): Promise<CatchUp> {
  if (!/^\d{1,19}$/.test(lastEventId)) return { kind: "resync", reason: "unknown event id" };
  return withTenantSql(appPool, tenantId, async (client) => {
    // No row at all: the last event is unknown. One row of nulls: nothing was missed.
    const { rows } = await client.query<EventRow | { [K in keyof EventRow]: null }>({
      name: "realtime_catch_up",
      text: CATCH_UP_QUERY,
      values: [lastEventId, tenantId, limit + 1, upTo.lastId, upTo.running, only?.conversationIds ?? null, upTo.runningFrom],
    });
    if (rows.length === 0) return { kind: "resync", reason: "the last event seen is no longer in the log" };
    const events = rows.filter((row): row is EventRow => row.id !== null);
    if (events.length > limit) return { kind: "resync", reason: `more than ${limit} events were missed` };
    return { kind: "events", events: events.map(toLoggedEvent) };
  });
}
