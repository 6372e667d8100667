import { io, type Socket } from "socket.io-client";
import { realtimeEventTypes, type AckAnswer, type PresenceSignal, type RealtimeEvent, type RealtimeSync, type TypingSignal } from "./events";

export type RealtimeStatus = "connecting" | "live" | "offline" | "ended";

export type RealtimeClientOptions = {
  /** A fresh `{ url, token }` from `realtime.token`; called at every (re)connect. */
  getToken: () => Promise<{ url: string; token: string }>;
  /** Each event of the log, once, in the order the server sent them. */
  onEvent: (event: RealtimeEvent) => void;
  /** After each (re)connect: `resync` (or a first connection) means data loaded before may be stale. */
  onSync?: (sync: RealtimeSync & { first: boolean }) => void;
  onStatus?: (status: RealtimeStatus, detail?: string) => void;
  onTyping?: (signal: TypingSignal & { typing: boolean }) => void;
  onPresence?: (signal: PresenceSignal) => void;
  /** Where the stream was left, e.g. from sessionStorage, so a reload resumes rather than restarts. */
  lastEventId?: string;
  onPosition?: (lastEventId: string) => void;
};

export type RealtimeClient = {
  /** The last event id seen (resumes from here). */
  readonly lastEventId: string | undefined;
  readonly status: RealtimeStatus;
  joinConversation(conversationId: string): Promise<AckAnswer>;
  leaveConversation(conversationId: string): Promise<AckAnswer>;
  setTyping(conversationId: string, typing: boolean): Promise<AckAnswer<{ forwarded?: boolean }>>;
  setPresence(status: "online" | "away"): Promise<AckAnswer>;
  listPresence(): Promise<AckAnswer<{ users: { userId: string; status: PresenceSignal["status"] }[] }>>;
  close(): void;
};

/** How many recent event ids are remembered to drop repeats (catching up may resend a few). */
const SEEN_LIMIT = 5000;
const later = (a: string, b: string | undefined) => b === undefined || BigInt(a) > BigInt(b);

/**
 * The browser's (or any Node client's) connection to the realtime servers:
 * connects with a token from tRPC, reconnects with backoff and a fresh token,
 * resumes from the last event id, drops repeats, and reports whether the page's
 * data must be reloaded. Rooms joined are joined again after a reconnect.
 */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  let lastEventId = options.lastEventId;
  let status: RealtimeStatus = "connecting";
  let socket: Socket | undefined;
  let closed = false;
  let first = true;
  let refusals = 0;
  const seen = new Set<string>();
  const conversations = new Set<string>();

  const setStatus = (next: RealtimeStatus, detail?: string) => {
    status = next;
    options.onStatus?.(next, detail);
  };
  const advance = (eventId: string) => {
    if (!later(eventId, lastEventId)) return;
    lastEventId = eventId;
    options.onPosition?.(eventId);
  };

  const start = async () => {
    // Where to connect comes with a token; until tRPC answers (offline, server restarting), keep asking.
    let url: string | undefined;
    for (let attempt = 0; !url; attempt++) {
      try {
        url = (await options.getToken()).url;
      } catch (error) {
        if (closed) return;
        setStatus("offline", (error as Error).message);
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * 2 ** attempt) * (0.5 + Math.random())));
      }
      if (closed) return;
    }
    socket = io(url, {
      // Called at every attempt: each gets a fresh token and the current position.
      auth: (callback) => {
        options.getToken().then(
          ({ token }) => callback({ token, ...(lastEventId ? { lastEventId } : {}) }),
          () => callback({}),
        );
      },
      transports: ["websocket"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
    });
    for (const type of realtimeEventTypes) {
      socket.on(type, (event: RealtimeEvent) => {
        if (seen.has(event.eventId)) return;
        seen.add(event.eventId);
        if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value!);
        advance(event.eventId);
        options.onEvent(event);
      });
    }
    socket.on("sync", (sync: RealtimeSync) => {
      if (sync.lastEventId && (sync.resync || !lastEventId)) {
        lastEventId = sync.lastEventId;
        options.onPosition?.(sync.lastEventId);
      } else if (sync.lastEventId) {
        advance(sync.lastEventId);
      }
      refusals = 0;
      setStatus("live");
      options.onSync?.({ ...sync, first });
      first = false;
      for (const conversationId of conversations) socket?.emit("conversation.join", { conversationId });
    });
    socket.on("conversation.typing_on", (signal: TypingSignal) => options.onTyping?.({ ...signal, typing: true }));
    socket.on("conversation.typing_off", (signal: TypingSignal) => options.onTyping?.({ ...signal, typing: false }));
    socket.on("presence.update", (signal: PresenceSignal) => options.onPresence?.(signal));
    socket.on("disconnect", (reason) => {
      if (closed || status === "ended") return;
      setStatus("offline", reason);
      // The server hung up (restart, lost events): come back by ourselves after a short, jittered wait.
      if (reason === "io server disconnect") setTimeout(() => !closed && status !== "ended" && socket?.connect(), 300 + Math.random() * 1200);
    });
    socket.on("session.ended", (info: { reason: string }) => {
      setStatus("ended", info.reason);
      socket?.close();
    });
    socket.on("connect_error", (error: Error & { data?: { code?: string; message?: string } }) => {
      if (error.data?.code === "FORBIDDEN") {
        setStatus("ended", error.data.message);
        socket?.close();
        return;
      }
      setStatus("offline", error.data?.message ?? error.message);
      // Socket.IO retries network failures by itself, but not a refusal by the server (a token that
      // could not be fetched while offline, an expired one, a server still starting): retry those here.
      if (error.data?.code) {
        const delay = Math.min(10_000, 500 * 2 ** refusals++) * (0.5 + Math.random());
        setTimeout(() => !closed && status !== "ended" && socket?.connect(), delay);
      }
    });
  };

  // The browser knows before any timeout that the network is gone, and when it is back.
  const onOffline = () => {
    if (closed || status === "ended") return;
    socket?.disconnect();
    setStatus("offline", "no network");
  };
  const onOnline = () => {
    if (!closed && status !== "ended" && socket && !socket.connected) socket.connect();
  };
  if (typeof window !== "undefined") {
    window.addEventListener("offline", onOffline);
    window.addEventListener("online", onOnline);
  }

  const ack = <T>(name: string, payload: unknown): Promise<AckAnswer<T>> => {
    if (!socket?.connected) return Promise.resolve({ ok: false, error: { code: "OFFLINE", message: "not connected" } });
    return socket.timeout(5000).emitWithAck(name, payload).catch(() => ({ ok: false, error: { code: "TIMEOUT", message: "no answer" } })) as Promise<AckAnswer<T>>;
  };

  start().catch((error: unknown) => setStatus("offline", (error as Error).message));

  return {
    get lastEventId() {
      return lastEventId;
    },
    get status() {
      return status;
    },
    joinConversation(conversationId) {
      conversations.add(conversationId);
      return ack("conversation.join", { conversationId });
    },
    leaveConversation(conversationId) {
      conversations.delete(conversationId);
      return ack("conversation.leave", { conversationId });
    },
    setTyping(conversationId, typing) {
      return ack("conversation.typing", { conversationId, typing });
    },
    setPresence(next) {
      return ack("presence.update", { status: next });
    },
    listPresence() {
      return ack("presence.list", {});
    },
    close() {
      closed = true;
      if (typeof window !== "undefined") {
        window.removeEventListener("offline", onOffline);
        window.removeEventListener("online", onOnline);
      }
      socket?.close();
    },
  };
}
