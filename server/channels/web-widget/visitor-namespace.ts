import type { RealtimeAttachment, RealtimeHost } from "../contract";
import type { Namespace, Socket } from "socket.io";
import { z } from "zod";
import { withTenantSql } from "@/server/db/app-pool";
import { catchUp, type LoggedEvent } from "@/server/realtime/events";
import { unsafeTextPaths } from "@/server/security/clean-text";
import { findWidget } from "./find-widget";
import { visitorConversations } from "./visitor-conversations";
import { visitorEventView, type VisitorView } from "./visitor-event-view";
import { visitorTargets, type VisitorTarget } from "./visitor-targets";
import { grantHolds, secretGeneration, verifySocketToken, type VisitorGrant } from "./visitor-token";
import { widgetOrigins } from "./widget-origins";

type VisitorData = { visitor: VisitorGrant; origin: string; lastEventId?: string; typing?: { conversationId: string; timer: NodeJS.Timeout }; budget: { second: number; used: number } };
type VisitorSocket = Socket<Record<string, (input: unknown, ack?: (answer: unknown) => void) => void>, Record<string, (payload: unknown) => void>, Record<string, never>, VisitorData>;

/** A visitor's sockets, on every node: keyed by who they are, not by a conversation, so a conversation begun after connecting reaches them. */
const visitorRoom = (channelId: string, visitorId: string) => `v:${channelId}:${visitorId}`;

const typingInput = z.object({ typing: z.boolean() }).strict();
const liveTypes = new Set(["message.created", "message.updated", "conversation.updated"]);

const refusal = (code: string, message: string) => Object.assign(new Error(code.toLowerCase()), { data: { code, message } });

/**
 * The `/visitor` namespace of the realtime server: website visitors, each
 * with a socket token from `POST /session`, from a page origin their channel
 * allows. A visitor's sockets sit in one room keyed by the visitor; events of
 * the log reach them through it, projected to what a visitor may see (their
 * own thread's messages without notes, an agent by display name, "seen" when
 * the team read it), and after a reconnect they catch up on their own
 * conversations only. Typing crosses between the visitor and the agents in the
 * conversation's room. Nothing else is heard from a visitor, and no room of
 * the agents' namespace is reachable from here.
 */
export function attachVisitorNamespace(options: RealtimeHost): RealtimeAttachment {
  const { log } = options;
  const nsp = options.io.of("/visitor") as unknown as Namespace<Record<string, (input: unknown, ack?: (answer: unknown) => void) => void>, Record<string, (payload: unknown) => void>, Record<string, never>, VisitorData>;

  const targets = visitorTargets(options.systemPool);
  const view = visitorEventView(options);
  const isWidgetOrigin = widgetOrigins(options.systemPool);

  // --- live delivery, in log order ----------------------------------------------------------------
  /** Sockets of this node catching up: what arrives meanwhile waits here, then follows what they missed. */
  const catchingUp = new Map<VisitorSocket, VisitorView[]>();
  const roomOf = (socket: VisitorSocket) => visitorRoom(socket.data.visitor.channelId, socket.data.visitor.visitorId);
  let chain = Promise.resolve();
  const route = async (events: LoggedEvent[]) => {
    await targets.load(events.map((event) => event.conversationId!));
    for (const event of events) {
      const target = targets.get(event.conversationId!);
      if (!target || target.tenantId !== event.tenantId) continue;
      const room = visitorRoom(target.channelId, target.visitorId);
      const waiting = () => [...catchingUp].filter(([socket]) => roomOf(socket) === room);
      // Nobody of this visitor on this node: nothing to project (their other nodes do their own).
      if (!nsp.adapter.rooms.has(room) && waiting().length === 0) continue;
      const seen = await view(event, target);
      if (!seen) continue;
      for (const [, buffer] of waiting()) buffer.push(seen);
      // This node's sockets only: every node follows the log for its own, so going through the adapter would deliver twice.
      nsp.local.to(room).emit(seen.name, seen.payload);
    }
  };
  const deliver = (events: LoggedEvent[]) => {
    if (nsp.sockets.size === 0) return;
    const relevant = events.filter((event) => event.conversationId && liveTypes.has(event.type));
    if (relevant.length === 0) return;
    chain = chain.then(() => route(relevant)).catch((error: unknown) => log.warn({ err: error }, "realtime: delivering to visitors failed"));
  };

  // --- connecting -------------------------------------------------------------------------------
  nsp.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; lastEventId?: unknown };
    void (async () => {
      const grant = await verifySocketToken(auth.token, options.secret);
      if (grant === "expired") return next(refusal("TOKEN_EXPIRED", "the socket token has expired; start the session again"));
      if (grant === "invalid") return next(refusal("UNAUTHORIZED", "the socket token is missing or forged"));
      const widget = await findWidget(options.systemPool, { channelId: grant.channelId });
      if (!widget || !grantHolds(grant, widget)) return next(refusal("UNAUTHORIZED", "the socket token is missing, forged, or from before the chat's identity secret changed"));
      const origin = socket.handshake.headers.origin;
      if (!origin || !widget.allowedOrigins.includes(origin)) return next(refusal("ORIGIN_NOT_ALLOWED", "this chat is not set up for this website"));
      if (widget.status === "disconnected") return next(refusal("CHANNEL_DISCONNECTED", "this chat has been switched off"));
      socket.data = { visitor: grant, origin, budget: { second: 0, used: 0 } };
      if (typeof auth.lastEventId === "string" || typeof auth.lastEventId === "number") socket.data.lastEventId = String(auth.lastEventId);
      next();
    })().catch((error: unknown) => {
      log.warn({ err: error }, "realtime: cannot check a visitor's connection");
      next(refusal("UNAVAILABLE", "try again in a moment"));
    });
  });

  const conversationsOf = async (visitor: VisitorGrant) => {
    const conversations = await withTenantSql(options.appPool, visitor.tenantId, (client) => visitorConversations(client, visitor, visitor.visitorId));
    // Fresh from the database: also corrects a conversation the cache still files under the visitor's anonymous id.
    const widget = await findWidget(options.systemPool, { channelId: visitor.channelId });
    for (const conversation of conversations) {
      targets.remember(conversation.id, widget ? { tenantId: visitor.tenantId, channelId: visitor.channelId, visitorId: visitor.visitorId, publicId: widget.publicId, widgetName: widget.name } : null);
    }
    return { conversations, widget };
  };

  nsp.on("connection", (rawSocket) => {
    const socket = rawSocket as VisitorSocket;
    const { visitor } = socket.data;
    const room = roomOf(socket);

    const join = async () => {
      if (socket.data.lastEventId !== undefined) await options.relay.readNow();
      if (!socket.connected) return;
      catchingUp.set(socket, []);
      const upTo = options.relay.position();
      const { conversations, widget } = await conversationsOf(visitor);
      let missed: VisitorView[] = [];
      let resync = false;
      if (socket.data.lastEventId !== undefined && widget) {
        const result = await catchUp(options.appPool, visitor.tenantId, socket.data.lastEventId, options.catchUpLimit, upTo, { conversationIds: conversations.map((conversation) => conversation.id) });
        if (result.kind === "resync") resync = true;
        else {
          const target: VisitorTarget = { tenantId: visitor.tenantId, channelId: visitor.channelId, visitorId: visitor.visitorId, publicId: widget.publicId, widgetName: widget.name };
          missed = (await Promise.all(result.events.map((event) => view(event, target)))).filter((seen) => seen !== null);
        }
      }
      // Whatever the live route is still projecting lands in the buffer or the room, never in between.
      await chain;
      const buffered = catchingUp.get(socket) ?? [];
      catchingUp.delete(socket);
      if (!socket.connected) return;
      const sent = new Set<string>();
      for (const seen of [...missed, ...buffered]) {
        if (sent.has(seen.eventId)) continue;
        sent.add(seen.eventId);
        socket.emit(seen.name, seen.payload);
      }
      void socket.join(room);
      const latest = await options.systemPool.query<{ id: string | null }>({
        name: "visitor_latest_event",
        text: `SELECT max(id)::text AS id FROM "Event" WHERE "tenantId" = $1 AND id <= $2::bigint AND NOT (txid = ANY($3::xid8[]) OR ($4::xid8 IS NOT NULL AND txid >= $4::xid8))`,
        values: [visitor.tenantId, upTo.lastId ?? "0", upTo.running, upTo.runningFrom],
      });
      socket.emit("sync", { lastEventId: latest.rows[0]?.id ?? null, resync });
    };
    join().catch((error: unknown) => {
      catchingUp.delete(socket);
      log.warn({ err: error }, "realtime: a visitor's catching up failed; the widget will reconnect");
      socket.emit("reconnect.required", { reason: "could not catch up; try again" });
      socket.disconnect(true);
    });

    // --- the visitor's typing: the one thing a visitor says here ---------------------------------
    const typingPayload = (conversationId: string) => ({ tenantId: visitor.tenantId, conversationId, userId: null, contact: true, eventId: null });
    const stopTyping = () => {
      const typing = socket.data.typing;
      if (!typing) return;
      clearTimeout(typing.timer);
      socket.data.typing = undefined;
      options.toAgents(typing.conversationId, "conversation.typing_off", typingPayload(typing.conversationId));
    };
    socket.on("typing", (input: unknown, ack?: unknown) => {
      const reply = typeof ack === "function" ? (ack as (answer: unknown) => void) : () => undefined;
      const second = Math.floor(Date.now() / 1000);
      if (socket.data.budget.second !== second) socket.data.budget = { second, used: 0 };
      if (++socket.data.budget.used > options.maxEventsPerSecond) return reply({ ok: false, error: { code: "TOO_MANY_REQUESTS", message: `at most ${options.maxEventsPerSecond} events per second` } });
      if (unsafeTextPaths(input).length > 0) return reply({ ok: false, error: { code: "BAD_REQUEST", message: "must not contain NUL characters or unpaired surrogates" } });
      const parsed = typingInput.safeParse(input);
      if (!parsed.success) return reply({ ok: false, error: { code: "BAD_REQUEST", message: "send { typing: true | false }" } });
      if (!parsed.data.typing) {
        stopTyping();
        return reply({ ok: true });
      }
      void (async () => {
        const conversationId = socket.data.typing?.conversationId ?? (await withTenantSql(options.appPool, visitor.tenantId, (client) => visitorConversations(client, visitor, visitor.visitorId)))[0]?.id;
        // Before the first message there is no conversation, and no agent to tell.
        if (!conversationId || !socket.connected) return reply({ ok: true, shown: false });
        const was = socket.data.typing;
        if (was) clearTimeout(was.timer);
        // A widget that stops saying it types (a closed tab) stops typing after a while.
        socket.data.typing = { conversationId, timer: setTimeout(stopTyping, options.typingTimeoutMs) };
        if (!was) options.toAgents(conversationId, "conversation.typing_on", typingPayload(conversationId));
        reply({ ok: true, shown: true });
      })().catch((error: unknown) => {
        log.warn({ err: error }, "realtime: a visitor's typing failed");
        reply({ ok: false, error: { code: "INTERNAL", message: "something went wrong; try again" } });
      });
    });

    socket.on("disconnect", () => {
      catchingUp.delete(socket);
      stopTyping();
    });
  });

  // A channel switched off, or a site taken off its list, loses its visitors within a few seconds.
  const revalidate = setInterval(() => {
    const sockets = [...(nsp.sockets.values() as Iterable<VisitorSocket>)].filter((socket) => socket.data.visitor);
    const channels = [...new Set(sockets.map((socket) => socket.data.visitor.channelId))];
    if (channels.length === 0) return;
    options.systemPool
      .query<{ channelId: string; status: string; allowedOrigins: string[]; secretCiphertext: string }>({
        name: "visitor_revalidate",
        text: `SELECT w."channelId", c.status::text AS status, w."allowedOrigins", w."secretCiphertext" FROM "WebWidgetChannel" w JOIN "Channel" c ON c.id = w."channelId" WHERE w."channelId" = ANY($1::uuid[])`,
        values: [channels],
      })
      .then(({ rows }) => {
        const live = new Map(rows.map((row) => [row.channelId, row]));
        for (const socket of sockets) {
          const channel = live.get(socket.data.visitor.channelId);
          const verifiedByNow = (grant: VisitorGrant) => !grant.visitorId.startsWith("user:") || grant.generation === secretGeneration({ ciphertext: channel!.secretCiphertext });
          if (channel && channel.status !== "disconnected" && channel.allowedOrigins.includes(socket.data.origin) && verifiedByNow(socket.data.visitor)) continue;
          socket.emit("session.ended", { reason: "this chat has been switched off for this website" });
          socket.disconnect(true);
        }
      })
      .catch((error: unknown) => log.warn({ err: error }, "realtime: checking visitors' channels failed; will try again"));
  }, options.revalidateMs);

  return {
    deliver,
    agentTyping: (conversationId, typing) =>
      targets.of(conversationId).then(
        (target) => {
          // Through the adapter: the visitor may be on another node.
          if (target) nsp.to(visitorRoom(target.channelId, target.visitorId)).emit("typing", { typing });
          return Boolean(target);
        },
        (error: unknown) => {
          log.warn({ err: error }, "realtime: showing typing to a visitor failed");
          return false;
        },
      ),
    allowsOrigin: isWidgetOrigin,
    reconnectAll: (reason) => {
      for (const socket of nsp.sockets.values()) {
        socket.emit("reconnect.required", { reason });
        // The connection closed under it, not a server's "disconnect": socket.io's client then reconnects by itself,
        // with a fresh token and its last event id, and catches up.
        socket.conn.close();
      }
    },
    close: () => clearInterval(revalidate),
  };
}
