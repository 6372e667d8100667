/** What the realtime server sends, shared by the server and its clients. */

/** Events of the log, named by their type. */
export const realtimeEventTypes = [
  "message.created",
  "message.updated",
  "conversation.created",
  "conversation.updated",
  "conversation.status_changed",
  "assignee.changed",
  "team.changed",
  "priority.changed",
  "availability.changed",
  "contact.updated",
  // To one person only (their own sockets): an entry of their notification centre, and entries they read.
  "notification.created",
  "notification.read",
] as const;

export type RealtimeEventType = (typeof realtimeEventTypes)[number];

export type RealtimeEvent = {
  /** Position in the event log (a bigint, as text): what a reconnecting client passes back. */
  eventId: string;
  tenantId: string;
  type: RealtimeEventType;
  conversationId: string | null;
  /** When it was written (ISO 8601). */
  at: string;
  /** What changed, as the inbox needs it: `{ message, conversation? }`, `{ conversation }`, `{ contact }`… */
  data: Record<string, unknown>;
};

/** After connecting and catching up: where the stream stands, and whether the client must reload. */
export type RealtimeSync = { tenantId: string; caughtUp: number; lastEventId: string | null; resync: boolean; reason?: string };

/** A teammate typing (`userId`), or the conversation's customer where their channel tells (`contact`, no user id). */
export type TypingSignal = { tenantId: string; conversationId: string; userId: string | null; contact?: boolean };
export type PresenceSignal = { tenantId: string; userId: string; status: "online" | "away" | "offline" };

export type AckAnswer<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };
