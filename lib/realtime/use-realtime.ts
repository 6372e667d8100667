"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC, useTRPCClient } from "@/lib/trpc/client";
import { createRealtimeClient, type RealtimeClient, type RealtimeClientOptions, type RealtimeStatus } from "./client";
import { applyRealtimeEvent } from "./query-cache";

/**
 * Keeps the page live: connects to the realtime server with a token from tRPC,
 * applies each event to the TanStack Query cache, reloads the cached data when
 * the server says it must (or on the first connection, since data loaded
 * before it may have missed a change; after a reconnect, the threads and lists
 * on screen), and resumes from the last event id
 * after a reconnect or a page reload (kept in sessionStorage per workspace).
 */
export function useRealtime(tenantSlug: string, handlers: Pick<RealtimeClientOptions, "onTyping" | "onPresence"> & { onEvent?: RealtimeClientOptions["onEvent"] } = {}): {
  status: RealtimeStatus;
  detail?: string;
  client: RealtimeClient | undefined;
} {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const queryClient = useQueryClient();
  const [state, setState] = useState<{ status: RealtimeStatus; detail?: string }>({ status: "connecting" });
  const [client, setClient] = useState<RealtimeClient>();
  const handlersRef = useRef(handlers);
  useEffect(() => {
    handlersRef.current = handlers;
  });

  useEffect(() => {
    const storageKey = `supportchat:lastEventId:${tenantSlug}`;
    const created = createRealtimeClient({
      getToken: () => trpcClient.realtime.token.query(),
      lastEventId: sessionStorage.getItem(storageKey) ?? undefined,
      onPosition: (id) => sessionStorage.setItem(storageKey, id),
      onEvent: (event) => {
        applyRealtimeEvent(queryClient, trpc, event);
        handlersRef.current.onEvent?.(event);
      },
      onSync: ({ resync, first }) => {
        if (resync || first) return void queryClient.invalidateQueries();
        // Back after a gap: what was missed has just been applied; the threads and lists on screen are
        // reloaded as well, in case a fetch in flight during the gap put older data back.
        void queryClient.invalidateQueries(trpc.messages.list.pathFilter());
        void queryClient.invalidateQueries(trpc.conversations.pathFilter());
      },
      onStatus: (status, detail) => setState({ status, detail }),
      onTyping: (signal) => handlersRef.current.onTyping?.(signal),
      onPresence: (signal) => handlersRef.current.onPresence?.(signal),
    });
    setClient(created);
    return () => created.close();
  }, [tenantSlug, trpc, trpcClient, queryClient]);

  return { ...state, client };
}
