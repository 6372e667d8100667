import type { LoggedEvent } from "@/server/realtime/events";
import type { RealtimeAttachment, RealtimeHost } from "../contract";
import { adapterFor, channelKinds } from "../registry";

/**
 * Every channel's part of a realtime node, as one: the realtime server hands
 * them the log's events, agents' typing and the origins question without
 * knowing which channels have sockets of their own.
 */
export function attachRealtimeChannels(host: RealtimeHost): RealtimeAttachment {
  const parts = channelKinds().flatMap((kind) => {
    const attach = adapterFor(kind).realtime;
    return attach ? [attach(host)] : [];
  });
  return {
    deliver: (events: LoggedEvent[]) => parts.forEach((part) => part.deliver(events)),
    agentTyping: async (conversationId, typing) => (await Promise.all(parts.map((part) => part.agentTyping(conversationId, typing)))).some(Boolean),
    allowsOrigin: async (origin) => (await Promise.all(parts.map((part) => part.allowsOrigin(origin)))).some(Boolean),
    reconnectAll: (reason) => parts.forEach((part) => part.reconnectAll(reason)),
    close: () => parts.forEach((part) => part.close()),
  };
}
