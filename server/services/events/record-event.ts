import type { RealtimeEventType } from "@/lib/realtime/events";
import type { DbClient } from "@/server/db/client";

/** The realtime event names agents' inboxes listen for (Chatwoot's, which integrators know; lib/realtime/events.ts). */
export type EventType = RealtimeEventType;

/**
 * Appends to the tenant's event log in the caller's transaction, so an event
 * exists exactly when the change it describes was committed.
 */
export async function recordEvent(
  db: DbClient,
  event: { tenantId: string; type: EventType; conversationId?: string; payload: Record<string, unknown> },
): Promise<void> {
  await db.event.create({
    data: { tenantId: event.tenantId, type: event.type, conversationId: event.conversationId, payload: JSON.parse(JSON.stringify(event.payload)) },
  });
}
