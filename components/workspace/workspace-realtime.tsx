"use client";

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { RealtimeClientOptions } from "@/lib/realtime/client";
import { useRealtime } from "@/lib/realtime/use-realtime";

type Handlers = Pick<RealtimeClientOptions, "onTyping" | "onPresence"> & { onEvent?: RealtimeClientOptions["onEvent"] };
type Shared = { realtime: ReturnType<typeof useRealtime>; listeners: Set<Handlers> };

const Context = createContext<Shared | null>(null);

/**
 * One realtime connection per workspace tab, for every page of the workspace: the header's bell
 * and the inbox share it (a second socket per tab would double the realtime servers' load). Events
 * reach the query cache here; pages add their own handlers with useWorkspaceRealtime.
 */
export function WorkspaceRealtime({ slug, children }: { slug: string; children: ReactNode }) {
  const [listeners] = useState(() => new Set<Handlers>());
  const realtime = useRealtime(slug, {
    onEvent: (event) => listeners.forEach((listener) => listener.onEvent?.(event)),
    onTyping: (signal) => listeners.forEach((listener) => listener.onTyping?.(signal)),
    onPresence: (signal) => listeners.forEach((listener) => listener.onPresence?.(signal)),
  });
  return <Context.Provider value={{ realtime, listeners }}>{children}</Context.Provider>;
}

/** The workspace's realtime connection, with this component's handlers (the latest render's) while it is mounted. */
export function useWorkspaceRealtime(handlers: Handlers = {}): ReturnType<typeof useRealtime> {
  const shared = useContext(Context);
  if (!shared) throw new Error("useWorkspaceRealtime needs a WorkspaceRealtime above it (app/t/[slug]/layout.tsx)");
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  const { listeners } = shared;
  useEffect(() => {
    const listener: Handlers = {
      onEvent: (event) => latest.current.onEvent?.(event),
      onTyping: (signal) => latest.current.onTyping?.(signal),
      onPresence: (signal) => latest.current.onPresence?.(signal),
    };
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, [listeners]);
  return shared.realtime;
}
