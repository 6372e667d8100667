import type { EventPayloads } from "@/lib/events/payloads";
import type { RealtimeEventType } from "@/lib/realtime/events";
import type { DbClient } from "@/server/db/client";

/** The realtime event names agents' inboxes listen for (Chatwoot's, which integrators know; lib/realtime/events.ts). */
export type EventType = RealtimeEventType;

export type EventInput<T extends EventType = EventType> = { tenantId: string; type: T; conversationId?: string | null; payload: T extends keyof EventPayloads ? EventPayloads[T] : Record<string, unknown> };

/**
 * An event as the log stores it, for either data path: the services insert it
 * through Prisma (recordEvent), intake through node-postgres (its own prepared
 * statement), both from this.
 */
export function eventRow<T extends EventType>(event: EventInput<T>): { tenantId: string; type: T; conversationId: string | null; payload: string } {
  return { tenantId: event.tenantId, type: event.type, conversationId: event.conversationId ?? null, payload: JSON.stringify(event.payload) };
}

/**
 * Appends to the tenant's event log in the caller's transaction, so an event
 * exists exactly when the change it describes was committed.
 */
export async function recordEvent<T extends EventType>(db: DbClient, event: EventInput<T>): Promise<void> {
  await db.event.create({ data: eventData(event) });
}

/** The row Prisma writes: the same as eventRow's, with the payload as JSON rather than text. */
function eventData(event: EventInput) {
  const row = eventRow(event);
  return { ...row, conversationId: row.conversationId ?? undefined, payload: JSON.parse(row.payload) };
}

/**
 * Several events in one statement, in the order given (a change that touches many conversations
 * at once). In SQL, the payloads as text: Prisma's createMany took 250–300 ms for 500 assignment
 * events (measured in `npm run bench -- routing`), this statement a tenth of that. Row-level
 * security checks each row's tenant as it does Prisma's.
 */
export async function recordEvents(db: DbClient, events: EventInput[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(eventRow);
  await db.$executeRaw`
    INSERT INTO "Event" ("tenantId", type, "conversationId", payload)
    SELECT v."tenantId", v.type, v."conversationId", v.payload::jsonb
    FROM unnest(${rows.map((row) => row.tenantId)}::uuid[], ${rows.map((row) => row.type)}::text[], ${rows.map((row) => row.conversationId)}::uuid[], ${rows.map((row) => row.payload)}::text[])
      WITH ORDINALITY AS v("tenantId", type, "conversationId", payload, position)
    ORDER BY v.position`;
}
