import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { SignJWT } from "jose";
import { io as connectClient, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TelegramEmulator } from "@/e2e/telegram-emulator/emulator";
import { withTenant } from "@/server/db/tenant-scope";
import { createRateLimiters } from "@/server/security/rate-limit";
import { seal } from "@/server/security/secret-box";
import { createApiKey } from "@/server/services/api-keys/create-api-key";
import { recordEvent } from "@/server/services/events/record-event";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, testEncryptionKey, type TenantFixture } from "@/server/test/fixtures";
import { redisAvailable, testRedisUrl } from "@/server/test/redis";
import { startRealtimeNode, type TestRealtimeNode } from "@/server/test/realtime";
import { callerFor } from "@/server/test/trpc";
import { until } from "@/server/test/wait";
import { redisPresence } from "./presence";
import { signRealtimeToken } from "./token";
import { metrics } from "@/server/metrics/registry";
import type { ApiScope } from "@/lib/api-scopes";

/**
 * The realtime servers, for real: Socket.IO nodes on their own ports, the event
 * log in PostgreSQL announced by NOTIFY, Redis joining nodes, socket.io-client
 * as the browser.
 */
const secret = "realtime-test-secret-".padEnd(40, "x");
let database: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;
let limiters: ReturnType<typeof createRateLimiters>;
const withRedis = await redisAvailable();

type Node = TestRealtimeNode;
const nodes: Node[] = [];
const clients: Socket[] = [];

beforeAll(async () => {
  process.env.APP_SECRET = secret;
  process.env.ENCRYPTION_KEY = testEncryptionKey;
  database = await createTestDatabase();
  a = await createTenantFixture(database.db, "rt-a");
  b = await createTenantFixture(database.db, "rt-b");
  limiters = createRateLimiters({ databaseUrl: database.url });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  for (const node of nodes.splice(0)) await node.close();
});
afterAll(async () => {
  await limiters.close();
  await database.drop();
});

async function startNode(options: { redis?: boolean; catchUpLimit?: number; revalidateMs?: number; heartbeatMs?: number; port?: number } = {}): Promise<Node> {
  const node = await startRealtimeNode(database, { secret, limiters, ...options });
  nodes.push(node);
  return node;
}

type Received = { name: string; payload: Record<string, unknown> };
type Client = { socket: Socket; received: Received[]; events: () => Received[]; sync: Promise<Record<string, unknown>> };

/** A browser's socket; `events()` are the event-log events it received (not sync, presence or typing). */
function connect(node: Node, token: string, lastEventId?: string): Client {
  const socket = connectClient(node.url, { auth: { token, ...(lastEventId ? { lastEventId } : {}) }, transports: ["websocket"], reconnection: false, forceNew: true });
  clients.push(socket);
  const received: Received[] = [];
  socket.onAny((name: string, payload: Record<string, unknown>) => received.push({ name, payload }));
  const sync = new Promise<Record<string, unknown>>((resolve, reject) => {
    socket.once("sync", resolve);
    socket.once("connect_error", reject);
  });
  return { socket, received, sync, events: () => received.filter((r) => typeof r.payload?.eventId === "string") };
}

const tokenFor = (t: TenantFixture, role: "owner" | "admin" | "agent" = "agent", now?: number) =>
  signRealtimeToken({ tenantId: t.tenant.id, role, principal: { kind: "user", userId: t.users[role].id, sessionId: t.sessions[role].id } }, secret, now);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An agent's private note through the API: a message.created event committed by the web's code. */
const note = (t: TenantFixture, text: string) =>
  callerFor(database, t.as("agent"), { tenantSlug: t.tenant.slug }).messages.send({ conversationId: t.rows.conversation.id, text, isPrivate: true });

/** `count` events committed in one transaction each, straight through the service. */
async function commitEvents(t: TenantFixture, count: number, label: string) {
  for (let i = 0; i < count; i++) {
    await withTenant(database.appDb, t.tenant.id, (db) =>
      recordEvent(db, { tenantId: t.tenant.id, type: "conversation.updated", conversationId: t.rows.conversation.id, payload: { conversation: { id: t.rows.conversation.id }, label, i } }),
    );
  }
}

describe("tokens", () => {
  it("realtime.token returns the server's address and a token bound to the caller, the tenant and the role", async () => {
    const node = await startNode();
    const answer = await callerFor(database, a.as("admin"), { tenantSlug: "rt-a" }).realtime.token();
    expect(answer.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(answer.expiresInSeconds).toBe(60);
    const client = connect(node, answer.token);
    expect(await client.sync).toMatchObject({ tenantId: a.tenant.id, resync: false });
  });

  it("refuses a forged token, an expired one, none, a member who left, and an API key without conversations:read", async () => {
    const node = await startNode();
    const refusal = async (token: unknown) => {
      const socket = connectClient(node.url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
      clients.push(socket);
      return new Promise<{ message: string; data?: { code: string } }>((resolve) => socket.once("connect_error", (error) => resolve(error as never)));
    };
    const agentOfA = { kind: "user" as const, userId: a.users.agent.id, sessionId: a.sessions.agent.id };
    const forged = await signRealtimeToken({ tenantId: a.tenant.id, role: "owner", principal: agentOfA }, "another-secret".padEnd(40, "y"));
    expect((await refusal(forged)).data?.code).toBe("UNAUTHORIZED");
    expect((await refusal(await tokenFor(a, "agent", Date.now() - 61_000))).data?.code).toBe("UNAUTHORIZED");
    expect((await refusal(undefined)).data?.code).toBe("UNAUTHORIZED");
    expect((await refusal("x".repeat(5000))).data?.code).toBe("UNAUTHORIZED");
    // A role the member no longer has (the token says owner, the membership says agent).
    const promoted = await signRealtimeToken({ tenantId: a.tenant.id, role: "owner", principal: agentOfA }, secret);
    expect((await refusal(promoted)).data?.code).toBe("FORBIDDEN");
    const writeOnly = await database.db.$transaction((tx) => createApiKey(tx, { tenantId: a.tenant.id, name: "writer", scopes: ["messages:write"], actor: { userId: a.users.owner.id } }));
    await expect(callerFor(database, a.asKey(writeOnly)).realtime.token()).rejects.toMatchObject({ code: "FORBIDDEN" });
    const keyToken = await signRealtimeToken({ tenantId: a.tenant.id, role: "agent", principal: { kind: "apiKey", apiKeyId: writeOnly.apiKey.id, scopes: ["messages:write"] } }, secret);
    expect((await refusal(keyToken)).data?.code).toBe("FORBIDDEN");
  });
});

describe("fan-out without Redis (one node, NOTIFY)", () => {
  it("an event committed through the API reaches each socket of the tenant once, with its id and tenant; notes reach agents only", async () => {
    const node = await startNode();
    const agent = connect(node, await tokenFor(a, "agent"));
    const admin = connect(node, await tokenFor(a, "admin"));
    const keyToken = (await callerFor(database, a.asKey(a.keys.read)).realtime.token()).token;
    const integration = connect(node, keyToken);
    const stranger = connect(node, await tokenFor(b, "agent"));
    await Promise.all([agent.sync, admin.sync, integration.sync, stranger.sync]);

    const sent = await note(a, "internal: check the refund");
    await until(() => agent.events().length === 1 && admin.events().length === 1, "the note at both agents");
    const [received] = agent.events();
    expect(received).toMatchObject({ name: "message.created", payload: { tenantId: a.tenant.id, type: "message.created", conversationId: a.rows.conversation.id } });
    expect(received!.payload.eventId).toMatch(/^\d+$/);
    expect((received!.payload.data as { message: { id: string; text: string } }).message).toMatchObject({ id: sent.id, text: "internal: check the refund" });

    // A reply (not a note) reaches the integration too.
    await callerFor(database, a.as("agent"), { tenantSlug: "rt-a" }).messages.send({ conversationId: a.rows.conversation.id, text: "public reply", isPrivate: false });
    await until(() => integration.events().length === 1 && agent.events().length === 2, "the reply");
    await pause(200);
    expect(agent.events()).toHaveLength(2);
    expect(integration.events().map((e) => (e.payload.data as { message: { text: string } }).message.text)).toEqual(["public reply"]);
    expect(stranger.events()).toEqual([]);

    // The node's metrics saw the sockets and timed each event from its commit to its emit.
    const text = await metrics().registry.metrics();
    expect(text).toMatch(/^realtime_connected_sockets [4-9]/m);
    expect(text).toMatch(/^realtime_event_fanout_seconds_count [2-9]/m);
  });
});

describe("what an API key's socket sees", () => {
  it("private notes with notes:read only; contact fields with contacts:read only (reduced to the contact's id otherwise)", async () => {
    const node = await startNode();
    const keyOf = async (scopes: ApiScope[]) => {
      const created = await database.db.$transaction((tx) => createApiKey(tx, { tenantId: a.tenant.id, name: scopes.join(" "), scopes, actor: { userId: a.users.owner.id } }));
      return connect(node, (await callerFor(database, a.asKey(created)).realtime.token()).token);
    };
    const plain = await keyOf(["conversations:read"]);
    const notes = await keyOf(["conversations:read", "notes:read"]);
    const contacts = await keyOf(["conversations:read", "contacts:read"]);
    await Promise.all([plain.sync, notes.sync, contacts.sync]);

    await note(a, "internal: VIP customer");
    await withTenant(database.appDb, a.tenant.id, (db) =>
      recordEvent(db, {
        tenantId: a.tenant.id,
        type: "conversation.created",
        conversationId: a.rows.conversation.id,
        payload: { conversation: { id: a.rows.conversation.id, contact: { id: a.rows.contact.id, name: "Secret Name", username: "secret_user" } } },
      }),
    );
    await until(() => notes.events().length === 2 && plain.events().length === 1 && contacts.events().length === 1, "each key's events");
    await pause(200);
    expect(notes.events().map((e) => e.name)).toEqual(["message.created", "conversation.created"]);
    expect(plain.events().map((e) => e.name)).toEqual(["conversation.created"]);
    const contactOf = (client: Client) => (client.events().at(-1)!.payload.data as { conversation: { contact: unknown } }).conversation.contact;
    expect(contactOf(plain)).toEqual({ id: a.rows.contact.id });
    expect(contactOf(notes)).toEqual({ id: a.rows.contact.id });
    expect(contactOf(contacts)).toEqual({ id: a.rows.contact.id, name: "Secret Name", username: "secret_user" });

    // Catching up applies the same rules.
    const lastSeen = String(Number(notes.events()[0]!.payload.eventId) - 1);
    const late = connect(node, (await callerFor(database, a.asKey(a.keys.read)).realtime.token()).token, lastSeen);
    await late.sync;
    expect(late.events().map((e) => e.name)).toEqual(["conversation.created"]);
    expect(JSON.stringify(late.received)).not.toContain("Secret Name");
  });
});

describe.runIf(withRedis)("fan-out with Redis (two nodes)", () => {
  it("an event committed by the web's code reaches sockets on both nodes exactly once", async () => {
    const [one, two] = [await startNode({ redis: true }), await startNode({ redis: true })];
    const sockets = [connect(one, await tokenFor(a, "agent")), connect(two, await tokenFor(a, "admin")), connect(two, await tokenFor(a, "owner"))];
    const stranger = connect(one, await tokenFor(b, "agent"));
    await Promise.all([...sockets, stranger].map((client) => client.sync));
    for (let i = 0; i < 5; i++) await note(a, `note ${i}`);
    await until(() => sockets.every((client) => client.events().length === 5), "five notes on every socket");
    await pause(300);
    for (const client of sockets) {
      expect(client.events().map((e) => (e.payload.data as { message: { text: string } }).message.text)).toEqual(["note 0", "note 1", "note 2", "note 3", "note 4"]);
    }
    expect(stranger.events()).toEqual([]);
  });

  it("presence across nodes: online, away, and offline when the agent leaves", async () => {
    const [one, two] = [await startNode({ redis: true }), await startNode({ redis: true })];
    const watcher = connect(two, await tokenFor(a, "admin"));
    await watcher.sync;
    const agent = connect(one, await tokenFor(a, "agent"));
    await agent.sync;
    const presenceOf = (userId: string) => watcher.received.filter((r) => r.name === "presence.update" && r.payload.userId === userId).map((r) => r.payload.status);
    await until(() => presenceOf(a.users.agent.id).includes("online"), "online");
    const listed = (await watcher.socket.emitWithAck("presence.list", {})) as { ok: boolean; users: { userId: string; status: string }[] };
    expect(listed.users).toContainEqual({ userId: a.users.agent.id, status: "online" });
    expect(await agent.socket.emitWithAck("presence.update", { status: "away" })).toEqual({ ok: true });
    await until(() => presenceOf(a.users.agent.id).at(-1) === "away", "away");
    agent.socket.disconnect();
    await until(() => presenceOf(a.users.agent.id).at(-1) === "offline", "offline");
    // Tenant B's agents hear nothing of tenant A's.
    const strangerList = (await connectAndList(two, b)) as { users: { userId: string }[] };
    expect(strangerList.users.map((u) => u.userId)).not.toContain(a.users.agent.id);
  });

  it("a node that stops disconnects only its own sockets: the other node's stay connected and keep receiving", async () => {
    const [stopping, staying] = [await startNode({ redis: true }), await startNode({ redis: true })];
    const leaving = connect(stopping, await tokenFor(a, "agent"));
    const remaining = connect(staying, await tokenFor(a, "admin"));
    await Promise.all([leaving.sync, remaining.sync]);
    nodes.splice(nodes.indexOf(stopping), 1);
    await stopping.close();
    await until(() => !leaving.socket.connected, "the stopped node's socket gone");
    await pause(300);
    expect(remaining.socket.connected).toBe(true);
    await note(a, "after the other node stopped");
    await until(() => remaining.events().length === 1, "the event on the node that stayed");
  });

  it("a node that dies without a word: its agents turn offline once their presence expires", async () => {
    const two = await startNode({ redis: true, heartbeatMs: 200 });
    const watcher = connect(two, await tokenFor(a, "admin"));
    await watcher.sync;
    // What a node writes for its agent, renewed by its heartbeat; this one's node is gone and renews nothing.
    const redis = new Redis(testRedisUrl);
    await redisPresence(redis).set(a.tenant.id, a.users.owner.id, "a-node-that-died", "online", 600);
    await redis.quit();
    const statuses = () => watcher.received.filter((r) => r.name === "presence.update" && r.payload.userId === a.users.owner.id).map((r) => r.payload.status);
    await until(() => statuses().includes("online"), "online");
    await until(() => statuses().at(-1) === "offline", "offline after expiry", 5000);
  });

  it("typing is shown to the other agents viewing the conversation, on any node, and sent to Telegram", async () => {
    const emulator = new TelegramEmulator();
    process.env.TELEGRAM_API_ROOT = await emulator.start();
    const token = "700123:" + "T".repeat(35);
    emulator.addBot(token, "typing_bot");
    const sealed = seal(token, testEncryptionKey);
    await database.db.channel.update({
      where: { id: a.rows.channel.id },
      data: { status: "active", telegram: { update: { tokenCiphertext: sealed.ciphertext, tokenKeyId: sealed.keyId, apiRoot: null } } },
    });
    try {
      const [one, two] = [await startNode({ redis: true }), await startNode({ redis: true })];
      const typist = connect(one, await tokenFor(a, "agent"));
      const viewer = connect(two, await tokenFor(a, "admin"));
      const elsewhere = connect(two, await tokenFor(a, "owner"));
      await Promise.all([typist.sync, viewer.sync, elsewhere.sync]);
      const conversationId = a.rows.conversation.id;
      expect(await typist.socket.emitWithAck("conversation.join", { conversationId })).toEqual({ ok: true });
      expect(await viewer.socket.emitWithAck("conversation.join", { conversationId })).toEqual({ ok: true });
      expect(await typist.socket.emitWithAck("conversation.typing", { conversationId, typing: true })).toEqual({ ok: true, forwarded: true });
      await until(() => viewer.received.some((r) => r.name === "conversation.typing_on"), "typing_on");
      expect(viewer.received.find((r) => r.name === "conversation.typing_on")!.payload).toMatchObject({ tenantId: a.tenant.id, conversationId, userId: a.users.agent.id });
      expect(emulator.bot(token).chatActions).toContainEqual(expect.objectContaining({ chat_id: Number(a.rows.conversation.externalChatId), action: "typing" }));
      expect(await typist.socket.emitWithAck("conversation.typing", { conversationId, typing: false })).toEqual({ ok: true });
      await until(() => viewer.received.some((r) => r.name === "conversation.typing_off"), "typing_off");
      // Only sockets in the conversation see it; the typist does not see its own.
      expect(elsewhere.received.filter((r) => r.name.startsWith("conversation.typing"))).toEqual([]);
      expect(typist.received.filter((r) => r.name.startsWith("conversation.typing"))).toEqual([]);
    } finally {
      await emulator.stop();
    }
  });
});

async function connectAndList(node: Node, t: TenantFixture) {
  const client = connect(node, await tokenFor(t, "agent"));
  await client.sync;
  return client.socket.emitWithAck("presence.list", {});
}

describe("catching up", () => {
  it("a client that reconnects after missing 100 events receives all 100, in order, and nothing of another tenant", async () => {
    const node = await startNode();
    const first = connect(node, await tokenFor(a));
    await first.sync;
    await commitEvents(a, 1, "seen");
    await until(() => first.events().length === 1, "the first event");
    const lastSeen = first.events()[0]!.payload.eventId as string;
    first.socket.disconnect();
    await commitEvents(a, 100, "missed");
    await commitEvents(b, 3, "other tenant");
    const again = connect(node, await tokenFor(a), lastSeen);
    const sync = await again.sync;
    expect(sync).toMatchObject({ resync: false });
    // Everything after the last event seen, in order...
    const after = again.events().filter((e) => BigInt(e.payload.eventId as string) > BigInt(lastSeen));
    expect(after.map((e) => (e.payload.data as { i: number }).i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(after.every((e) => (e.payload.data as { label: string }).label === "missed")).toBe(true);
    // ...and possibly a few from before it whose transactions were still open then (the client drops those it has).
    const before = again.events().filter((e) => BigInt(e.payload.eventId as string) < BigInt(lastSeen));
    expect(before.every((e) => e.payload.tenantId === a.tenant.id)).toBe(true);
    expect(sync.caughtUp).toBe(100 + before.length);
    const ids = again.events().map((e) => BigInt(e.payload.eventId as string));
    expect([...ids].sort((x, y) => (x < y ? -1 : 1))).toEqual(ids);
  });

  it("an event that commits after a later one is still caught up (ids are taken at insert, not at commit)", async () => {
    const node = await startNode();
    const client = connect(node, await tokenFor(a));
    await client.sync;
    // A slow transaction takes an event id first and commits last.
    const { Client } = await import("pg");
    const slow = new Client({ connectionString: database.url });
    await slow.connect();
    await slow.query("BEGIN");
    await slow.query(`INSERT INTO "Event" ("tenantId", type, "conversationId", payload) VALUES ($1, 'conversation.updated', $2, '{"label":"slow"}')`, [a.tenant.id, a.rows.conversation.id]);
    await commitEvents(a, 1, "fast");
    await until(() => client.events().some((e) => (e.payload.data as { label: string }).label === "fast"), "the fast event");
    const lastSeen = client.events().at(-1)!.payload.eventId as string;
    client.socket.disconnect();
    await slow.query("COMMIT");
    await slow.end();
    const again = connect(node, await tokenFor(a), lastSeen);
    await again.sync;
    expect(again.events().map((e) => (e.payload.data as { label: string }).label)).toEqual(["slow"]);
  });

  it("too far behind, or an unknown event id: told to load afresh, then live from now on", async () => {
    const node = await startNode({ catchUpLimit: 5 });
    const first = connect(node, await tokenFor(a));
    await first.sync;
    await commitEvents(a, 1, "seen");
    await until(() => first.events().length === 1, "one event");
    const lastSeen = first.events()[0]!.payload.eventId as string;
    first.socket.disconnect();
    await commitEvents(a, 6, "too many");
    const behind = connect(node, await tokenFor(a), lastSeen);
    expect(await behind.sync).toMatchObject({ resync: true, reason: "more than 5 events were missed", caughtUp: 0 });
    expect(behind.events()).toEqual([]);
    await commitEvents(a, 1, "live");
    await until(() => behind.events().length === 1, "live event after resync");
    // Another tenant's event id is as unknown as one that never existed.
    const foreign = connect(node, await tokenFor(a), b.rows.event.id.toString());
    expect(await foreign.sync).toMatchObject({ resync: true });
    const nonsense = connect(node, await tokenFor(a), "DROP TABLE");
    expect(await nonsense.sync).toMatchObject({ resync: true });
  });

  it("restarting the realtime server in the middle of a stream loses nothing for a client that reconnects", async () => {
    let node = await startNode();
    const port = Number(new URL(node.url).port);
    const client = connect(node, await tokenFor(a));
    await client.sync;
    const producing = commitEvents(a, 150, "stream");
    await until(() => client.events().length >= 30, "part of the stream");
    await node.close();
    const lastSeen = client.events().at(-1)!.payload.eventId as string;
    await pause(100);
    node = await startNode({ port });
    const resumed = connect(node, await tokenFor(a), lastSeen);
    await resumed.sync;
    await producing;
    const seen = () => new Set([...client.events(), ...resumed.events()].map((e) => (e.payload.data as { i: number }).i));
    await until(() => seen().size === 150, "all 150 events across the restart");
    const after = resumed.events().map((e) => (e.payload.data as { i: number }).i);

    expect(after).toEqual([...after].sort((x, y) => x - y));
  });

  it("a node that stops (SIGTERM) tells its sockets to reconnect, and they resume on another node without a gap", async () => {
    const stopping = await startNode();
    const other = await startNode();
    const client = connect(stopping, await tokenFor(a));
    await client.sync;
    const producing = commitEvents(a, 100, "handover");
    await until(() => client.events().length >= 20, "part of the stream");
    const closed = stopping.close(); // what the realtime process's SIGTERM handler runs
    nodes.splice(nodes.indexOf(stopping), 1);
    await until(() => client.received.some((r) => r.name === "reconnect.required"), "told to reconnect");
    expect(client.received.find((r) => r.name === "reconnect.required")!.payload).toEqual({ reason: "the server is restarting" });
    await closed;
    const moved = connect(other, await tokenFor(a), client.events().at(-1)!.payload.eventId as string);
    await moved.sync;
    await producing;
    const handover = (events: Received[]) => events.map((e) => e.payload.data as { label: string; i: number }).filter((data) => data.label === "handover");
    const seen = () => new Set([...handover(client.events()), ...handover(moved.events())].map((data) => data.i));
    await until(() => seen().size === 100, "all 100 events across the handover");
  });
});

describe("isolation and limits", () => {
  it("a socket cannot join another tenant's conversation, nor receive its events", async () => {
    const node = await startNode();
    const stranger = connect(node, await tokenFor(b));
    await stranger.sync;
    expect(await stranger.socket.emitWithAck("conversation.join", { conversationId: a.rows.conversation.id })).toEqual({ ok: false, error: { code: "NOT_FOUND", message: "no such conversation" } });
    expect(await stranger.socket.emitWithAck("conversation.typing", { conversationId: a.rows.conversation.id, typing: true })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    await note(a, "not for b");
    await pause(300);
    expect(stranger.events()).toEqual([]);
  });

  it("a removed member is disconnected within moments", async () => {
    const node = await startNode({ revalidateMs: 100 });
    const leaving = await createTenantFixture(database.db, "rt-leaving");
    const client = connect(node, await tokenFor(leaving, "agent"));
    await client.sync;
    await database.db.membership.delete({ where: { id: leaving.memberships.agent.id } });
    await until(() => client.socket.disconnected, "the disconnect", 3000);
    expect(client.received.map((r) => r.name)).toContain("session.ended");
  });

  it("a socket whose session ends (signed out, revoked, a password change) gets session.ended and is disconnected within the check interval", async () => {
    const node = await startNode({ revalidateMs: 100 });
    const team = await createTenantFixture(database.db, "rt-signed-out");
    const ending = connect(node, await tokenFor(team, "agent"));
    const staying = connect(node, await tokenFor(team, "admin"));
    await Promise.all([ending.sync, staying.sync]);
    await database.db.session.update({ where: { id: team.sessions.agent.id }, data: { revokedAt: new Date(), revokedReason: "revoked" } });
    await until(() => ending.socket.disconnected, "the signed-out socket's disconnect", 3000);
    expect(ending.received.find((r) => r.name === "session.ended")?.payload).toEqual({ reason: "your session has ended; sign in again" });
    await pause(300);
    expect(staying.socket.connected).toBe(true);
  });

  it("refuses up front a token whose session has ended or expired, and one that names no session", async () => {
    const node = await startNode();
    const team = await createTenantFixture(database.db, "rt-ended");
    const refusal = async (token: string) => {
      const socket = connectClient(node.url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
      clients.push(socket);
      return new Promise<{ data?: { code: string; message: string } }>((resolve) => {
        socket.once("connect_error", (error) => resolve(error as never));
        socket.once("connect", () => resolve({}));
      });
    };
    await database.db.session.update({ where: { id: team.sessions.agent.id }, data: { revokedAt: new Date(), revokedReason: "signed_out" } });
    expect((await refusal(await tokenFor(team, "agent"))).data).toEqual({ code: "FORBIDDEN", message: "your session has ended; sign in again" });
    await database.db.session.update({ where: { id: team.sessions.admin.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await refusal(await tokenFor(team, "admin"))).data?.code).toBe("FORBIDDEN");
    // Another user's live session does not stand in for one's own.
    const borrowed = await signRealtimeToken({ tenantId: team.tenant.id, role: "owner", principal: { kind: "user", userId: team.users.owner.id, sessionId: a.sessions.owner.id } }, secret);
    expect((await refusal(borrowed)).data?.code).toBe("FORBIDDEN");
    // A token without a session id (as signed before sessions had ids) is not a realtime token at all.
    const sessionless = await new SignJWT({ tid: team.tenant.id, role: "owner" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(`user:${team.users.owner.id}`)
      .setAudience("support-chat:realtime")
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(createHash("sha256").update(`realtime-token:${secret}`).digest());
    expect((await refusal(sessionless)).data?.code).toBe("UNAUTHORIZED");
    // The owner's own session is live: in.
    expect(await connect(node, await tokenFor(team, "owner")).sync).toMatchObject({ tenantId: team.tenant.id });
  });

  it("bad input gets an error answer, floods are cut, and oversized payloads close only that socket", async () => {
    const node = await startNode();
    const client = connect(node, await tokenFor(a));
    await client.sync;
    expect(await client.socket.emitWithAck("conversation.join", { conversationId: "not-a-uuid" })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await client.socket.emitWithAck("conversation.join", "nonsense")).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await client.socket.emitWithAck("presence.update", { status: "invisible" })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    // Text PostgreSQL could not store is refused at the edge, naming where, as tRPC does.
    expect(await client.socket.emitWithAck("conversation.join", { conversationId: "a\u0000b" })).toEqual({ ok: false, error: { code: "BAD_REQUEST", message: "conversationId: must not contain NUL characters or unpaired surrogates" } });
    expect(await client.socket.emitWithAck("presence.update", { status: "\uD800" })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST", message: "status: must not contain NUL characters or unpaired surrogates" } });
    const answers = await Promise.all(Array.from({ length: 30 }, () => client.socket.emitWithAck("presence.list", {}))) as { ok: boolean; error?: { code: string } }[];
    expect(answers.filter((answer) => answer.error?.code === "TOO_MANY_REQUESTS").length).toBeGreaterThan(0);
    client.socket.emit("presence.update", { status: "x".repeat(100_000) });
    await until(() => client.socket.disconnected, "the oversized payload's socket to close");
    const other = connect(node, await tokenFor(a));
    expect(await other.sync).toMatchObject({ resync: false });
  });
});
