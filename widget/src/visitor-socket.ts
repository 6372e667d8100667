import { io, type Socket } from "socket.io-client";
import type { VisitorClientEvents, VisitorMessage, VisitorServerEvents } from "@/lib/widget/protocol";

type Handlers = {
  message: (message: VisitorMessage, kind: "created" | "updated") => void;
  typing: (typing: boolean) => void;
  read: (at: string) => void;
  resync: () => void;
  /** `resumed`: the handshake named an event seen before, so the server sent on what was missed. */
  connected: (resumed: boolean) => void;
  disconnected: () => void;
};

// A server that keeps calling a fresh token expired (a clock far off) must not get a request loop.
const maxRefreshesInARow = 3;

/**
 * The visitor's live connection to the realtime server. The handshake reads
 * the token and the last event seen at every (re)connection, so a reconnect
 * resumes where the widget left off and uses the newest socket token.
 */
export function openVisitorSocket(
  realtimeUrl: string,
  socketToken: () => string,
  refreshToken: () => Promise<void>,
  on: Handlers,
): { typing: (typing: boolean) => void; close: () => void } {
  let lastEventId: string | null = null;
  let refreshes = 0;
  const socket: Socket<VisitorServerEvents, VisitorClientEvents> = io(realtimeUrl.replace(/\/+$/, "") + "/visitor", {
    auth: (send) => send({ token: socketToken(), lastEventId }),
    transports: ["websocket", "polling"],
  });

  socket.on("message.created", ({ eventId, message }) => {
    lastEventId = eventId;
    on.message(message, "created");
  });
  socket.on("message.updated", ({ eventId, message }) => {
    lastEventId = eventId;
    on.message(message, "updated");
  });
  socket.on("read", ({ eventId, at }) => {
    lastEventId = eventId;
    on.read(at);
  });
  socket.on("typing", ({ typing }) => on.typing(typing === true));
  socket.on("sync", ({ lastEventId: upTo, resync }) => {
    if (upTo) lastEventId = upTo;
    if (resync) on.resync();
  });
  socket.on("connect", () => {
    refreshes = 0;
    on.connected(lastEventId !== null);
  });
  socket.on("disconnect", on.disconnected);
  socket.on("connect_error", (error) => {
    const code = (error as { data?: { code?: unknown } }).data?.code ?? error.message;
    // A refused handshake is not retried by socket.io itself: an expired token is renewed and the handshake made again.
    if (code === "TOKEN_EXPIRED" && !socket.active && refreshes < maxRefreshesInARow) {
      refreshes += 1;
      refreshToken().then(
        () => socket.connect(),
        () => on.disconnected(),
      );
      return;
    }
    on.disconnected();
  });

  return {
    typing: (typing) => {
      if (socket.connected) socket.emit("typing", { typing });
    },
    close: () => {
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}
