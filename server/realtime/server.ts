import { randomUUID } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import type pg from "pg";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import { forwardTyping } from "@/server/channels/core/forward-typing";
import { attachRealtimeChannels } from "@/server/channels/core/realtime-channels";
import { withTenantSql } from "@/server/db/app-pool";
import type { AppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { Logger } from "@/server/logger";
import type { RealtimeEvent } from "@/lib/realtime/events";
import { catchUp, type LoggedEvent } from "./events";
import { memoryPresence, redisPresence, type PresenceStatus, type PresenceStore } from "./presence";
import { startEventRelay } from "./relay";
import { verifyRealtimeToken, type RealtimeIdentity } from "./token";
import { unsafeTextPaths } from "@/server/security/clean-text";
import { metrics } from "@/server/metrics/registry";
import { recordSpan, SpanKind } from "@/server/telemetry/tracing";

export type RealtimeServerOptions = {
  httpServer: HttpServer;
  /** For LISTEN (a connection of its own) and the pools' role. */
  databaseUrl: string;
  /** The app role, bound to a tenant per query (catch-up, joining a conversation). */
  appPool: pg.Pool;
  /** The owner: reading announced events of every tenant, checking memberships. */
  systemPool: pg.Pool;
  /** Agent typing is forwarded to the customer's channel through the same code as the API's. */
  appDb: AppDb;
  typingLimiter: RateLimiterAbstract;
  secret: string;
  log: Logger;
  redisUrl?: string;
  /** The product's own origin(s), for the engine's CORS (the polling transport). */
  corsOrigin: string | string[];
  /** Tuning, mostly for tests. */
  catchUpLimit?: number;
  revalidateMs?: number;
  heartbeatMs?: number;
  typingTimeoutMs?: number;
  maxEventsPerSecond?: number;
};

export type RealtimeServer = { io: Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>; nodeId: string; ready: Promise<void>; close: () => Promise<void> };

type SocketData = { identity: RealtimeIdentity; lastEventId?: string; presence: Exclude<PresenceStatus, "offline">; typing: Map<string, NodeJS.Timeout>; budget: { second: number; used: number } };
type Ack = (answer: { ok: true; [key: string]: unknown } | { ok: false; error: { code: string; message: string } }) => void;
/** Event names are the log's types (and a few of the server's own); payloads are plain JSON. */
type ServerToClient = Record<string, (payload: unknown) => void>;
type ClientToServer = Record<string, (input: unknown, ack?: Ack) => void>;
type AppSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

const agentsRoom = (tenantId: string) => `t:${tenantId}:agents`;
/** What an API key may see of an event: private notes with notes:read, contact fields with contacts:read. */
type KeySight = { notes: boolean; contacts: boolean };
const keySights: KeySight[] = [
  { notes: false, contacts: false },
  { notes: false, contacts: true },
  { notes: true, contacts: false },
  { notes: true, contacts: true },
];
const sightOf = (scopes: readonly string[]): KeySight => ({ notes: scopes.includes("notes:read"), contacts: scopes.includes("contacts:read") });
const keysRoom = (tenantId: string, sight: KeySight) => `t:${tenantId}:keys:${sight.notes ? "notes" : "-"}:${sight.contacts ? "contacts" : "-"}`;
const conversationRoom = (conversationId: string) => `c:${conversationId}`;
/** One person's sockets in a workspace. */
const userRoom = (tenantId: string, userId: string) => `t:${tenantId}:u:${userId}`;

const conversationInput = z.object({ conversationId: z.uuid() }).strict();
const typingInput = z.object({ conversationId: z.uuid(), typing: z.boolean() }).strict();
const presenceInput = z.object({ status: z.enum(["online", "away"]) }).strict();

/** The public view of an event: what every socket of the tenant receives, named by its type. */
const wire = (event: LoggedEvent): RealtimeEvent => ({
  eventId: event.eventId,
  tenantId: event.tenantId,
  type: event.type,
  conversationId: event.conversationId,
  at: event.at,
  data: event.data,
});

/** The same event for a key without contacts:read: every contact it names is reduced to its id. */
function withoutContactFields(event: RealtimeEvent): RealtimeEvent {
  const reduce = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(reduce);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === "contact" && inner !== null && typeof inner === "object" && "id" in inner ? [key, { id: (inner as { id: unknown }).id }] : [key, reduce(inner)],
      ),
    );
  };
  return { ...event, data: reduce(event.data) as RealtimeEvent["data"] };
}

/** Whether a socket may see an event, and in which form (null: not at all). */
function viewFor(event: LoggedEvent, identity: RealtimeIdentity): RealtimeEvent | null {
  if (event.recipientUserId !== null) return identity.principal.kind === "user" && identity.principal.userId === event.recipientUserId ? wire(event) : null;
  if (identity.principal.kind === "user") return wire(event);
  const sight = sightOf(identity.principal.scopes);
  if (event.privateNote && !sight.notes) return null;
  return sight.contacts ? wire(event) : withoutContactFields(wire(event));
}

/**
 * The realtime server: Socket.IO on the given HTTP server. Sockets authenticate
 * with a token from `realtime.token` and resume from the last event id they saw;
 * each node follows the event log itself and emits to its own sockets; with
 * Redis, nodes share rooms (typing, presence, disconnects) through Socket.IO's
 * Redis adapter and presence through Redis.
 */
export function createRealtimeServer(options: RealtimeServerOptions): RealtimeServer {
  const { log } = options;
  const nodeId = randomUUID();
  const catchUpLimit = options.catchUpLimit ?? 1000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const presenceTtlMs = heartbeatMs * 3;
  const maxEventsPerSecond = options.maxEventsPerSecond ?? 20;
  const typingTimeoutMs = options.typingTimeoutMs ?? 8_000;

  const agentOrigins = [options.corsOrigin].flat();
  // The visitor namespace answers it once it exists (below, with the relay); no request comes before.
  const channelOrigins: { allowed: (origin: string) => Promise<boolean> } = { allowed: async () => false };
  const io = new Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>(options.httpServer, {
    // The engine's CORS (for the polling transport) lets through the product's own origin and every origin a live
    // website widget allows. Agents' sockets stand on their bearer token, not on an origin (no cookie opens them);
    // a visitor's socket also needs its channel's origin (the /visitor namespace checks it).
    cors: {
      origin: (origin, callback) => {
        if (!origin || agentOrigins.includes(origin)) return callback(null, true);
        channelOrigins.allowed(origin).then(
          (allowed) => callback(null, allowed),
          () => callback(null, false),
        );
      },
      credentials: false,
    },
    // Nothing a client sends is bigger than a few hundred bytes.
    maxHttpBufferSize: 16 * 1024,
    // A connection that died without closing (lost network, sleeping laptop) is noticed within 15 s.
    pingInterval: 10_000,
    pingTimeout: 5_000,
    serveClient: false,
  });

  let redis: { pub: Redis; sub: Redis } | undefined;
  let presence: PresenceStore = memoryPresence();
  if (options.redisUrl) {
    const pub = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on("error", (error) => log.warn({ err: error }, "realtime: redis error"));
    redis = { pub, sub };
    io.adapter(createAdapter(pub, sub, { key: "supportchat:socket.io" }));
    presence = redisPresence(pub);
  }

  // Sockets of this node still catching up on what they missed: they see live events afterwards, in order.
  const catchingUp = new Map<AppSocket, LoggedEvent[]>();

  const deliverLive = (events: LoggedEvent[]) => {
    for (const event of events) {
      for (const [socket, buffer] of catchingUp) if (socket.data.identity.tenantId === event.tenantId) buffer.push(event);
      // Every node follows the log for its own sockets: emitting beyond this node would deliver twice.
      if (event.recipientUserId !== null) {
        // One person's (a notification): their own sockets only.
        if (event.recipientUserId) io.local.to(userRoom(event.tenantId, event.recipientUserId)).emit(event.type, wire(event));
        metrics().realtimeFanout.observe(Math.max(0, Date.now() - Date.parse(event.at)) / 1000);
        continue;
      }
      io.local.to(agentsRoom(event.tenantId)).emit(event.type, wire(event));
      for (const sight of keySights) {
        if (event.privateNote && !sight.notes) continue;
        io.local.to(keysRoom(event.tenantId, sight)).emit(event.type, sight.contacts ? wire(event) : withoutContactFields(wire(event)));
      }
      metrics().realtimeFanout.observe(Math.max(0, Date.now() - Date.parse(event.at)) / 1000);
      log.debug({ requestId: event.requestId ?? undefined, eventId: event.eventId, type: event.type, tenantId: event.tenantId }, "realtime: event emitted");
      if (event.traceparent) {
        recordSpan(`realtime emit ${event.type}`, { kind: SpanKind.PRODUCER, parent: { traceparent: event.traceparent }, attributes: { "event.id": event.eventId, "event.type": event.type } });
      }
    }
    // Channels with sockets of their own (the website widget's visitors) get the same events, each its customers' share.
    channels.deliver(events.filter((event) => event.recipientUserId === null));
  };

  const relay = startEventRelay({
    connectionString: options.databaseUrl,
    systemPool: options.systemPool,
    log,
    onEvents: deliverLive,
    onGap: () => {
      // Events were committed while this node was not listening: its sockets reconnect and catch up from the log.
      for (const socket of io.of("/").sockets.values()) {
        socket.emit("reconnect.required", { reason: "the server missed events and needs you to catch up" });
        socket.disconnect(true);
      }
      channels.reconnectAll("the server missed events and needs you to catch up");
    },
  });

  const channels = attachRealtimeChannels({
    io: io as unknown as Server,
    relay,
    appPool: options.appPool,
    systemPool: options.systemPool,
    secret: options.secret,
    log,
    catchUpLimit,
    typingTimeoutMs,
    maxEventsPerSecond,
    revalidateMs: options.revalidateMs ?? 5_000,
    // Through the adapter: agents in the conversation may be on any node.
    toAgents: (conversationId, event, payload) => void io.to(conversationRoom(conversationId)).emit(event, payload),
  });
  channelOrigins.allowed = channels.allowsOrigin;

  // --- presence -------------------------------------------------------------------------
  /** This node's last word on each tenant's presence, to tell changes apart from repeats. */
  const known = new Map<string, Map<string, PresenceStatus>>();
  const localStatus = (tenantId: string, userId: string): Exclude<PresenceStatus, "offline"> | null => {
    let best: Exclude<PresenceStatus, "offline"> | null = null;
    for (const socket of io.of("/").sockets.values() as Iterable<AppSocket>) {
      const identity = socket.data.identity;
      if (identity?.tenantId !== tenantId || identity.principal.kind !== "user" || identity.principal.userId !== userId) continue;
      if (socket.data.presence === "online") return "online";
      best = "away";
    }
    return best;
  };
  /** "Offline" announcements of sockets that left, which closing waits for before it lets Redis go. */
  const leaving = new Set<Promise<unknown>>();
  const announcePresence = async (tenantId: string, userId: string) => {
    await presence.set(tenantId, userId, nodeId, localStatus(tenantId, userId), presenceTtlMs);
    const status = (await presence.list(tenantId)).get(userId) ?? "offline";
    const tenantKnown = known.get(tenantId) ?? new Map<string, PresenceStatus>();
    known.set(tenantId, tenantKnown);
    tenantKnown.set(userId, status);
    // Through the adapter: the change reaches the tenant's agents on every node.
    io.to(agentsRoom(tenantId)).emit("presence.update", { tenantId, userId, status, eventId: null });
  };
  /**
   * Members with an open inbox here were seen now (Membership.lastSeenAt): the offline grace of
   * availability counts from the last of these (server/services/assignment/sweep-availability.ts).
   */
  const seen = (pairs: { tenantId: string; userId: string }[]) =>
    pairs.length === 0
      ? Promise.resolve()
      : options.systemPool
          .query({
            name: "realtime_members_seen",
            text: `UPDATE "Membership" m SET "lastSeenAt" = now() FROM unnest($1::uuid[], $2::uuid[]) AS v("tenantId", "userId") WHERE m."tenantId" = v."tenantId" AND m."userId" = v."userId"`,
            values: [pairs.map((pair) => pair.tenantId), pairs.map((pair) => pair.userId)],
          })
          .then(() => undefined);
  const heartbeat = setInterval(() => {
    void (async () => {
      const local = new Map<string, Set<string>>();
      for (const socket of io.of("/").sockets.values() as Iterable<AppSocket>) {
        const identity = socket.data.identity;
        if (!identity) continue;
        const users = local.get(identity.tenantId) ?? new Set<string>();
        local.set(identity.tenantId, users);
        if (identity.principal.kind === "user") users.add(identity.principal.userId);
      }
      await seen([...local].flatMap(([tenantId, users]) => [...users].map((userId) => ({ tenantId, userId }))));
      for (const [tenantId, users] of local) {
        for (const userId of users) await presence.set(tenantId, userId, nodeId, localStatus(tenantId, userId), presenceTtlMs);
        // A node that died stops renewing its entries: its users turn offline here.
        const now = await presence.list(tenantId);
        const before = known.get(tenantId) ?? new Map<string, PresenceStatus>();
        for (const userId of new Set([...before.keys(), ...now.keys()])) {
          const status = now.get(userId) ?? "offline";
          if (before.get(userId) === status) continue;
          io.local.to(agentsRoom(tenantId)).emit("presence.update", { tenantId, userId, status, eventId: null });
        }
        known.set(tenantId, now);
      }
    })().catch((error: unknown) => log.warn({ err: error }, "realtime: presence heartbeat failed"));
  }, heartbeatMs);

  // --- membership and session checks ------------------------------------------------------
  /**
   * Why each socket that may no longer stay must go: its user's session ended (signed out,
   * revoked, a password change, expired), or its member (or key) no longer exists with the role
   * its token was signed for. Sockets missing from the answer may stay.
   */
  type Refusal = "session" | "access";
  const refusalText: Record<Refusal, string> = {
    session: "your session has ended; sign in again",
    access: "your access to this workspace changed; sign in again",
  };
  const refusals = async (sockets: AppSocket[]): Promise<Map<AppSocket, Refusal>> => {
    const users = sockets.filter((socket) => socket.data.identity.principal.kind === "user");
    const keys = sockets.filter((socket) => socket.data.identity.principal.kind === "apiKey");
    const userOf = (socket: AppSocket) => socket.data.identity.principal as { userId: string; sessionId: string };
    const refused = new Map<AppSocket, Refusal>();
    if (users.length > 0) {
      const [memberships, sessions] = await Promise.all([
        options.systemPool.query<{ tenantId: string; userId: string; role: string }>({
          name: "realtime_memberships",
          text: `SELECT "tenantId", "userId", role::text FROM "Membership" WHERE ("tenantId", "userId") IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
          values: [users.map((socket) => socket.data.identity.tenantId), users.map((socket) => userOf(socket).userId)],
        }),
        options.systemPool.query<{ id: string; userId: string }>({
          name: "realtime_live_sessions",
          text: `SELECT id, "userId" FROM "Session" WHERE id = ANY($1::uuid[]) AND "revokedAt" IS NULL AND "expiresAt" > now()`,
          values: [[...new Set(users.map((socket) => userOf(socket).sessionId))]],
        }),
      ]);
      const roles = new Map(memberships.rows.map((row) => [`${row.tenantId}|${row.userId}`, row.role]));
      const live = new Map(sessions.rows.map((row) => [row.id, row.userId]));
      for (const socket of users) {
        const { tenantId, role } = socket.data.identity;
        const { userId, sessionId } = userOf(socket);
        if (live.get(sessionId) !== userId) refused.set(socket, "session");
        else if (roles.get(`${tenantId}|${userId}`) !== role) refused.set(socket, "access");
      }
    }
    if (keys.length > 0) {
      const { rows } = await options.systemPool.query<{ id: string }>({
        name: "realtime_live_keys",
        text: `SELECT id FROM "ApiKey" WHERE id = ANY($1::uuid[]) AND "revokedAt" IS NULL`,
        values: [keys.map((socket) => (socket.data.identity.principal as { apiKeyId: string }).apiKeyId)],
      });
      const live = new Set(rows.map((row) => row.id));
      for (const socket of keys) if (!live.has((socket.data.identity.principal as { apiKeyId: string }).apiKeyId)) refused.set(socket, "access");
    }
    return refused;
  };
  const revalidate = setInterval(() => {
    const sockets = [...(io.of("/").sockets.values() as Iterable<AppSocket>)].filter((socket) => socket.data.identity);
    if (sockets.length === 0) return;
    refusals(sockets)
      .then((refused) => {
        for (const [socket, why] of refused) {
          socket.emit("session.ended", { reason: refusalText[why] });
          socket.disconnect(true);
        }
      })
      .catch((error: unknown) => log.warn({ err: error }, "realtime: membership check failed; will try again"));
  }, options.revalidateMs ?? 5_000);

  // --- connections -------------------------------------------------------------------------
  io.use((socket: AppSocket, next) => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown; lastEventId?: unknown };
    void verifyRealtimeToken(auth.token, options.secret).then(async (identity) => {
      if (!identity) return next(Object.assign(new Error("unauthorized"), { data: { code: "UNAUTHORIZED", message: "the realtime token is missing, forged or expired; ask realtime.token for a new one" } }));
      if (identity.principal.kind === "apiKey" && !identity.principal.scopes.includes("conversations:read")) {
        return next(Object.assign(new Error("forbidden"), { data: { code: "FORBIDDEN", message: "this API key lacks the conversations:read scope" } }));
      }
      socket.data = { identity, presence: "online", typing: new Map(), budget: { second: 0, used: 0 } };
      if (typeof auth.lastEventId === "string" || typeof auth.lastEventId === "number") socket.data.lastEventId = String(auth.lastEventId);
      try {
        const why = (await refusals([socket])).get(socket);
        if (why) {
          const message = why === "session" ? refusalText.session : "you are no longer a member of this workspace";
          return next(Object.assign(new Error("forbidden"), { data: { code: "FORBIDDEN", message } }));
        }
      } catch (error) {
        log.warn({ err: error }, "realtime: cannot check a connection's membership");
        return next(Object.assign(new Error("unavailable"), { data: { code: "UNAVAILABLE", message: "try again in a moment" } }));
      }
      next();
    });
  });

  io.on("connection", (socket: AppSocket) => {
    metrics().realtimeSockets.inc();
    socket.once("disconnect", () => metrics().realtimeSockets.dec());
    const { identity } = socket.data;
    const { tenantId } = identity;
    const userId = identity.principal.kind === "user" ? identity.principal.userId : undefined;
    const room = identity.principal.kind === "user" ? agentsRoom(tenantId) : keysRoom(tenantId, sightOf(identity.principal.scopes));
    if (userId) {
      const markSeen = () => seen([{ tenantId, userId }]).catch((error: unknown) => log.warn({ err: error }, "realtime: cannot record a member as seen"));
      void markSeen();
      socket.once("disconnect", () => void markSeen());
    }

    // Catch up to where the relay stands (what it reads from then on waits in a buffer), then join the live stream.
    let upTo = relay.position();
    const join = async () => {
      // The relay first reads what has committed until now, so most of what was missed comes from one query.
      if (socket.data.lastEventId !== undefined) await relay.readNow();
      if (!socket.connected) return;
      catchingUp.set(socket, []);
      upTo = relay.position();
      let missed: LoggedEvent[] = [];
      let resync: string | undefined;
      if (socket.data.lastEventId !== undefined) {
        const result = await catchUp(options.appPool, tenantId, socket.data.lastEventId, catchUpLimit, upTo);
        if (result.kind === "resync") resync = result.reason;
        else missed = result.events;
      }
      const buffered = catchingUp.get(socket) ?? [];
      catchingUp.delete(socket);
      if (!socket.connected) return;
      const sent = new Set<string>();
      for (const event of [...missed, ...buffered]) {
        const view = viewFor(event, identity);
        if (sent.has(event.eventId) || !view) continue;
        sent.add(event.eventId);
        socket.emit(event.type, view);
      }
      void socket.join(room);
      if (userId) void socket.join(userRoom(tenantId, userId));
      // Where this socket's stream stands: the tenant's last event up to the relay's position (later ones come live).
      const latest = await options.systemPool.query<{ id: string | null }>({
        name: "realtime_latest_event",
        text: `SELECT max(id)::text AS id FROM "Event" WHERE "tenantId" = $1 AND id <= $2::bigint AND NOT (txid = ANY($3::xid8[]) OR ($4::xid8 IS NOT NULL AND txid >= $4::xid8))`,
        values: [tenantId, upTo.lastId ?? "0", upTo.running, upTo.runningFrom],
      });
      socket.emit("sync", { tenantId, caughtUp: sent.size, lastEventId: latest.rows[0]?.id ?? null, ...(resync ? { resync: true, reason: resync } : { resync: false }) });
      if (userId) await announcePresence(tenantId, userId);
    };
    join().catch((error: unknown) => {
      catchingUp.delete(socket);
      log.warn({ err: error }, "realtime: catching up failed; the client will reconnect");
      socket.emit("reconnect.required", { reason: "could not catch up; try again" });
      socket.disconnect(true);
    });

    /** Validates input and the socket's budget of client events; answers through the ack when there is one. */
    const handle = <T>(name: string, schema: z.ZodType<T>, agentsOnly: boolean, fn: (input: T) => Promise<Record<string, unknown>>) => {
      socket.on(name, ((input: unknown, ack?: unknown) => {
        const reply: Ack = typeof ack === "function" ? (ack as Ack) : () => undefined;
        const second = Math.floor(Date.now() / 1000);
        if (socket.data.budget.second !== second) socket.data.budget = { second, used: 0 };
        if (++socket.data.budget.used > maxEventsPerSecond) return reply({ ok: false, error: { code: "TOO_MANY_REQUESTS", message: `at most ${maxEventsPerSecond} events per second` } });
        if (agentsOnly && !userId) return reply({ ok: false, error: { code: "FORBIDDEN", message: "only agents can do this" } });
        // The same edge check as tRPC's (server/security/clean-text.ts): text PostgreSQL cannot store is refused, naming where.
        const unsafe = unsafeTextPaths(input);
        if (unsafe.length > 0) return reply({ ok: false, error: { code: "BAD_REQUEST", message: `${unsafe.join(", ")}: must not contain NUL characters or unpaired surrogates` } });
        const parsed = schema.safeParse(input);
        if (!parsed.success) return reply({ ok: false, error: { code: "BAD_REQUEST", message: parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ") } });
        fn(parsed.data).then(
          (result) => reply({ ok: true, ...result }),
          (error: unknown) => {
            const code = (error as { code?: string }).code;
            if (code === "NOT_FOUND") return reply({ ok: false, error: { code, message: (error as Error).message } });
            log.warn({ err: error, event: name }, "realtime: a client event failed");
            reply({ ok: false, error: { code: "INTERNAL", message: "something went wrong; try again" } });
          },
        );
      }));
    };

    const conversationExists = async (conversationId: string) => {
      const found = await withTenantSql(options.appPool, tenantId, (client) =>
        client.query({ name: "realtime_conversation", text: `SELECT 1 FROM "Conversation" WHERE id = $1`, values: [conversationId] }),
      );
      if (found.rowCount === 0) throw Object.assign(new Error("no such conversation"), { code: "NOT_FOUND" });
    };

    handle("conversation.join", conversationInput, false, async ({ conversationId }) => {
      await conversationExists(conversationId);
      await socket.join(conversationRoom(conversationId));
      return {};
    });
    handle("conversation.leave", conversationInput, false, async ({ conversationId }) => {
      stopTyping(conversationId);
      await socket.leave(conversationRoom(conversationId));
      return {};
    });

    const typingPayload = (conversationId: string) => ({ tenantId, conversationId, userId, eventId: null });
    const stopTyping = (conversationId: string) => {
      const timer = socket.data.typing.get(conversationId);
      if (!timer) return;
      clearTimeout(timer);
      socket.data.typing.delete(conversationId);
      socket.to(conversationRoom(conversationId)).emit("conversation.typing_off", typingPayload(conversationId));
      void channels.agentTyping(conversationId, false);
    };
    handle("conversation.typing", typingInput, true, async ({ conversationId, typing }) => {
      if (!socket.rooms.has(conversationRoom(conversationId))) throw Object.assign(new Error("join the conversation first"), { code: "NOT_FOUND" });
      if (!typing) {
        stopTyping(conversationId);
        return {};
      }
      const wasTyping = socket.data.typing.has(conversationId);
      clearTimeout(socket.data.typing.get(conversationId));
      // A client that stops saying it is typing (closed tab, lost network) stops typing after a while.
      socket.data.typing.set(conversationId, setTimeout(() => stopTyping(conversationId), typingTimeoutMs));
      if (!wasTyping) socket.to(conversationRoom(conversationId)).emit("conversation.typing_on", typingPayload(conversationId));
      // A website visitor of this conversation sees it too, wherever their socket is (the widget forgets it after 8 s).
      const shownToVisitor = await channels.agentTyping(conversationId, true);
      // The customer sees "typing…" in their channel too where it can show it (throttled across all processes by the limiter).
      const forwarded = shownToVisitor ? { sent: true } : await withTenant(options.appDb, tenantId, (db) => forwardTyping(db, options.typingLimiter, { conversationId }));
      return { forwarded: forwarded.sent };
    });

    handle("presence.update", presenceInput, true, async ({ status }) => {
      socket.data.presence = status;
      await announcePresence(tenantId, userId!);
      return {};
    });
    handle("presence.list", z.object({}).strict().optional(), true, async () => {
      const users = await presence.list(tenantId);
      return { users: [...users].map(([id, status]) => ({ userId: id, status })) };
    });

    socket.on("disconnect", () => {
      catchingUp.delete(socket);
      for (const conversationId of [...socket.data.typing.keys()]) stopTyping(conversationId);
      if (!userId) return;
      const announced = announcePresence(tenantId, userId).catch((error: unknown) => log.warn({ err: error }, "realtime: presence update failed"));
      leaving.add(announced);
      void announced.finally(() => leaving.delete(announced));
    });
  });

  return {
    io,
    nodeId,
    ready: relay.ready,
    close: async () => {
      clearInterval(heartbeat);
      clearInterval(revalidate);
      channels.close();
      await relay.stop();
      // Tell clients to reconnect (to another node, or to this one when it is back).
      for (const socket of io.of("/").sockets.values()) socket.emit("reconnect.required", { reason: "the server is restarting" });
      // This node's own sockets only: through the Redis adapter, io.disconnectSockets would cut every node's.
      io.local.disconnectSockets(true);
      channels.reconnectAll("the server is restarting");
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.allSettled([...leaving]);
      await presence.close();
      if (redis) {
        // io.close() has the adapter unsubscribe without waiting; a reply to a later PING means those replies
        // are in, so quitting does not cut them off (ioredis would reject them, unhandled).
        await Promise.all([redis.pub.ping().catch(() => undefined), redis.sub.ping().catch(() => undefined)]);
        await Promise.all([redis.pub.quit().catch(() => undefined), redis.sub.quit().catch(() => undefined)]);
      }
    },
  };
}
