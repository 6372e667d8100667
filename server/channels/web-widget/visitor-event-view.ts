import type pg from "pg";
import type { LoggedEvent } from "@/server/realtime/events";
import { loadAgentNames } from "./agent-names";
import { visitorFileUrl } from "./visitor-file-url";
import { parseStoredMessage, toVisitorMessage } from "./visitor-message";
import type { VisitorTarget } from "./visitor-targets";

/** An event as a visitor's socket receives it (lib/widget/protocol.ts VisitorServerEvents). */
export type VisitorView = { eventId: string; name: "message.created" | "message.updated" | "read"; payload: unknown };

const NAME_TTL_MS = 60_000;

/**
 * What a visitor sees of an event of their conversation, or null for what is
 * not theirs to see: a message without a private note and with an agent by
 * display name (names cached a minute), "seen" when the team read the
 * conversation (`agentReadAt`, from conversations.markRead — the visitor's own
 * read carries none), and nothing else of the log.
 */
export function visitorEventView(deps: { systemPool: pg.Pool; secret: string }) {
  const names = new Map<string, { name: string; at: number }>();
  return async (event: LoggedEvent, target: VisitorTarget): Promise<VisitorView | null> => {
    if (event.type === "message.created" || event.type === "message.updated") {
      if (event.privateNote) return null;
      const stored = parseStoredMessage(event.data.message);
      if (!stored || stored.tenantId !== target.tenantId) return null;
      const userId = stored.senderUserId;
      const cached = userId ? names.get(userId) : undefined;
      if (userId && !(cached && Date.now() - cached.at < NAME_TTL_MS)) {
        const found = await loadAgentNames(deps.systemPool, [userId]);
        names.set(userId, { name: found.get(userId) ?? target.widgetName, at: Date.now() });
        if (names.size > 5_000) names.delete(names.keys().next().value!);
      }
      const message = await toVisitorMessage(stored, {
        agentName: (id) => names.get(id)?.name ?? target.widgetName,
        fileUrl: (grant) => visitorFileUrl(grant, target.publicId, deps.secret),
      });
      return message ? { eventId: event.eventId, name: event.type, payload: { eventId: event.eventId, message } } : null;
    }
    if (event.type === "conversation.updated" && typeof event.data.agentReadAt === "string") {
      return { eventId: event.eventId, name: "read", payload: { eventId: event.eventId, at: event.data.agentReadAt } };
    }
    return null;
  };
}
