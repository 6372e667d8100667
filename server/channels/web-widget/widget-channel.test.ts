import { createHmac } from "node:crypto";
import { io as connectClient, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MessagesAnswer, SessionAnswer, UploadAnswer, VisitorMessage, WidgetConfig } from "@/lib/widget/protocol";
import { proxyAttachment } from "@/server/channels/core/file-proxy";
import { createLogger } from "@/server/logger";
import { signRealtimeToken } from "@/server/realtime/token";
import { createRateLimiters, type RateLimiters } from "@/server/security/rate-limit";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, testEncryptionKey, type TenantFixture } from "@/server/test/fixtures";
import { freePort } from "@/server/test/free-port";
import { startRealtimeNode, type TestRealtimeNode } from "@/server/test/realtime";
import { redisAvailable } from "@/server/test/redis";
import { hostileHtml, tinyJpeg } from "@/server/test/sample-files";
import { callerFor } from "@/server/test/trpc";
import { until } from "@/server/test/wait";
import { widgetBrowser, widgetDepsFor, type WidgetBrowser } from "@/server/test/widget";
import type { WidgetDeps } from "./widget-call";
import { signSocketToken, signVisitorToken } from "./visitor-token";

/**
 * The website widget channel end to end on a real PostgreSQL: its public API
 * as the route handlers run it, the core's intake behind it, the inbox's own
 * procedures for the team's side, and a realtime node with socket.io-client as
 * the visitor's browser and the agent's inbox.
 */
const secret = "widget-test-secret-".padEnd(40, "x");
let database: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;
let limiters: RateLimiters;
let deps: WidgetDeps;
let node: TestRealtimeNode;
const withRedis = await redisAvailable();
const sockets: Socket[] = [];
const extraNodes: TestRealtimeNode[] = [];

const originOf = (fixture: TenantFixture) => fixture.rows.webWidget.allowedOrigins[0]!;
/** The fixture's widget secret (server/test/fixtures.ts): what the host site's server signs its users' ids with. */
const identitySecretOf = (fixture: TenantFixture) => `identity secret of ${fixture.tenant.slug}`;
const hashOf = (fixture: TenantFixture, identifier: string) => createHmac("sha256", identitySecretOf(fixture)).update(identifier).digest("hex");
const browserOf = (fixture: TenantFixture, options: { origin?: string | null; ip?: string } = {}) =>
  widgetBrowser(deps, fixture.rows.webWidget.publicId, options.origin === undefined ? originOf(fixture) : options.origin, { ip: options.ip });
const agentOf = (fixture: TenantFixture) => callerFor(database, fixture.as("agent"), { tenantSlug: fixture.tenant.slug });

beforeAll(async () => {
  process.env.APP_SECRET = secret;
  process.env.ENCRYPTION_KEY = testEncryptionKey;
  process.env.PUBLIC_URL = "https://support.example.test";
  database = await createTestDatabase();
  a = await createTenantFixture(database.db, "widget-a");
  b = await createTenantFixture(database.db, "widget-b");
  // Roomy limits for the suite (its browsers share one address); the limits themselves are tested with tight ones.
  limiters = createRateLimiters({ databaseUrl: database.url }, { widgetSession: { points: 10_000, durationSeconds: 60 }, widgetAddress: { points: 10_000, durationSeconds: 60 } });
  deps = widgetDepsFor(database, { secret, limiters });
  node = await startRealtimeNode(database, { secret, limiters });
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});
afterAll(async () => {
  for (const extra of extraNodes) await extra.close();
  await node.close();
  await limiters.close();
  await database.drop();
});

type Received = { name: string; payload: Record<string, unknown> };

/** A visitor's socket as the widget opens it; resolves once it has caught up (`sync`), or with the refusal. */
async function visitorSocket(socketToken: string, options: { origin?: string; lastEventId?: string | null; url?: string } = {}) {
  const received: Received[] = [];
  const socket = connectClient(`${options.url ?? node.url}/visitor`, {
    auth: { token: socketToken, lastEventId: options.lastEventId ?? undefined },
    extraHeaders: options.origin === undefined ? {} : { origin: options.origin },
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(socket);
  socket.onAny((name: string, payload: Record<string, unknown>) => received.push({ name, payload }));
  const outcome = await new Promise<{ ok: true } | { ok: false; code: string }>((resolve) => {
    socket.once("sync", () => resolve({ ok: true }));
    socket.once("connect_error", (error) => resolve({ ok: false, code: String((error as { data?: { code?: string } }).data?.code) }));
  });
  const messages = () => received.filter((event) => event.name === "message.created" || event.name === "message.updated").map((event) => event.payload.message as VisitorMessage);
  const lastEventId = () => [...received].reverse().map((event) => (event.name === "sync" ? event.payload.lastEventId : event.payload.eventId)).find((id) => typeof id === "string") as string | undefined;
  return { socket, received, outcome, messages, lastEventId };
}

/** A visitor who opened the widget: a session, and their socket connected. */
async function arrive(fixture: TenantFixture, session: Record<string, unknown> = {}) {
  const browser = browserOf(fixture);
  const started = await browser.session(session);
  expect(started.status).toBe(200);
  const answer = started.body as SessionAnswer;
  const live = await visitorSocket(answer.socketToken, { origin: originOf(fixture) });
  expect(live.outcome).toEqual({ ok: true });
  return { browser, answer, live };
}

let sends = 0;
const say = (browser: WidgetBrowser, text: string, extra: Record<string, unknown> = {}) => browser.send({ text, clientMessageId: `c-${Date.now()}-${++sends}`, pageUrl: "https://widget-a.example/pricing?plan=pro", ...extra });

describe("a visitor's conversation", () => {
  it("starts with the first message after the socket connected, and the team's reply reaches the visitor live, by display name only", async () => {
    const { browser, answer, live } = await arrive(a, { locale: "ru-RU", referrer: "https://search.example/?q=support" });
    expect(answer).toMatchObject({ visitor: { id: expect.stringMatching(/^visitor:[0-9a-f-]{36}$/), name: null, email: null, verified: false }, conversationId: null });

    const sent = await say(browser, "Hello, is the blue one in stock?");
    expect(sent.status).toBe(201);
    const mine = sent.body as VisitorMessage;
    expect(mine).toMatchObject({ author: "visitor", agent: null, text: "Hello, is the blue one in stock?", attachments: [], clientMessageId: expect.stringMatching(/^c-/) });

    const conversation = await database.db.conversation.findFirstOrThrow({ where: { channelId: a.rows.widgetChannel.id, externalChatId: answer.visitor.id }, include: { contact: { include: { identities: true } } } });
    expect(conversation.contact.name).toMatch(/^Visitor [0-9a-f]{4}$/);
    expect(conversation.contact.identities[0]!.details).toMatchObject({ pageUrl: "https://widget-a.example/pricing?plan=pro", browser: "Mozilla/5.0 (test browser)" });

    await until(() => live.messages().some((message) => message.id === mine.id), "the visitor's own message on their socket");
    await agentOf(a).messages.send({ conversationId: conversation.id, text: "Yes! Shall I reserve one?" });
    await until(() => live.messages().some((message) => message.author === "agent"), "the agent's reply on the visitor's socket");
    const reply = live.messages().find((message) => message.author === "agent")!;
    expect(reply).toEqual({ id: expect.any(String), author: "agent", agent: { name: a.users.agent.name, avatarUrl: null }, text: "Yes! Shall I reserve one?", attachments: [], createdAt: expect.any(String), clientMessageId: null });
    // Nothing else about the agent, the tenant or the stored row travels.
    const wire = JSON.stringify(live.received);
    for (const secretThing of [a.users.agent.id, a.users.agent.email, a.tenant.id, "senderUserId", "deliveryStatus"]) expect(wire).not.toContain(secretThing);
  });

  it("sends the team's reply as it commits: sent at once with its own id, and no delivery job for a worker", async () => {
    const { browser, answer } = await arrive(a);
    expect((await say(browser, "Do you ship abroad?")).status).toBe(201);
    const conversation = await database.db.conversation.findFirstOrThrow({ where: { channelId: a.rows.widgetChannel.id, externalChatId: answer.visitor.id } });
    const reply = await agentOf(a).messages.send({ conversationId: conversation.id, text: "We do, to 30 countries." });
    expect(reply).toMatchObject({ deliveryStatus: "sent", externalId: reply.id });
    const jobs = await database.systemPool.query(`SELECT 1 FROM graphile_worker.jobs WHERE key = $1`, [`deliver:${reply.id}`]);
    expect(jobs.rowCount).toBe(0);
  });

  it("resumes after a reload with the same token: the same visitor, conversation and thread", async () => {
    const { browser, answer } = await arrive(a);
    await say(browser, "first");
    const reloaded = browserOf(a);
    reloaded.token = browser.token;
    const again = (await reloaded.session()).body as SessionAnswer;
    expect(again.visitor.id).toBe(answer.visitor.id);
    expect(again.conversationId).not.toBeNull();
    await say(reloaded, "second");
    const thread = (await reloaded.messages()).body as MessagesAnswer;
    expect(thread.messages.map((message) => message.text)).toEqual(["first", "second"]);
    expect(thread.olderCursor).toBeNull();
  });

  it("stores a resend with the same clientMessageId once and answers the first", async () => {
    const { browser } = await arrive(a);
    const first = await browser.send({ text: "once", clientMessageId: "retry-me" });
    const second = await browser.send({ text: "once", clientMessageId: "retry-me" });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect((second.body as VisitorMessage).id).toBe((first.body as VisitorMessage).id);
    expect(await database.db.message.count({ where: { clientMessageId: "retry-me", direction: "inbound" } })).toBe(1);
  });

  it("catches up by the last event id after a reconnect, with the team's replies and never a private note", async () => {
    const { browser, answer, live } = await arrive(a);
    await say(browser, "are you there?");
    await until(() => live.messages().length === 1, "the visitor's message");
    const lastEventId = live.lastEventId()!;
    live.socket.disconnect();
    const conversationId = (await database.db.conversation.findFirstOrThrow({ where: { externalChatId: answer.visitor.id } })).id;
    await agentOf(a).messages.send({ conversationId, text: "internal: VIP, check their order history", isPrivate: true });
    await agentOf(a).messages.send({ conversationId, text: "We are!" });

    const token = ((await browser.session()).body as SessionAnswer).socketToken;
    const back = await visitorSocket(token, { origin: originOf(a), lastEventId });
    expect(back.outcome).toEqual({ ok: true });
    expect(back.messages().map((message) => message.text)).toEqual(["We are!"]);
    expect(back.received.find((event) => event.name === "sync")!.payload).toMatchObject({ resync: false });
    expect(JSON.stringify(back.received)).not.toContain("VIP");
    expect(JSON.stringify((await browser.messages()).body)).not.toContain("VIP");
  });

  it("survives a realtime restart: the widget's socket.io reconnects by itself and catches up", async () => {
    const port = await freePort();
    let current = await startRealtimeNode(database, { secret, limiters, port });
    const browser = browserOf(a);
    let session = (await browser.session()).body as SessionAnswer;
    let lastEventId: string | undefined;
    const received: VisitorMessage[] = [];
    // As the widget does: the handshake reads the newest token and the last event id at every (re)connection.
    const socket = connectClient(`${current.url}/visitor`, {
      auth: (send) => send({ token: session.socketToken, lastEventId }),
      extraHeaders: { origin: originOf(a) },
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
    });
    sockets.push(socket);
    socket.on("sync", (payload: { lastEventId: string | null }) => void (lastEventId = payload.lastEventId ?? lastEventId));
    socket.on("message.created", (payload: { eventId: string; message: VisitorMessage }) => {
      lastEventId = payload.eventId;
      received.push(payload.message);
    });
    await new Promise((resolve) => socket.once("sync", resolve));
    await say(browser, "before the restart");
    await until(() => received.length === 1, "the first message");
    const conversationId = (await database.db.conversation.findFirstOrThrow({ where: { externalChatId: session.visitor.id } })).id;

    await current.close();
    await agentOf(a).messages.send({ conversationId, text: "sent while the server was down" });
    session = (await browser.session()).body as SessionAnswer;
    current = await startRealtimeNode(database, { secret, limiters, port });
    extraNodes.push(current);
    await until(() => received.some((message) => message.text === "sent while the server was down"), "the reply, after reconnecting", 15_000);
    expect(received.map((message) => message.text)).toEqual(["before the restart", "sent while the server was down"]);
  });

  it("never sends a private note live, and no event of another conversation or agent-only kind", async () => {
    const { browser, answer, live } = await arrive(a);
    const other = await arrive(a);
    await say(browser, "mine");
    await say(other.browser, "someone else's");
    const conversationId = (await database.db.conversation.findFirstOrThrow({ where: { externalChatId: answer.visitor.id } })).id;
    await agentOf(a).messages.send({ conversationId, text: "note: refund approved?", isPrivate: true });
    await agentOf(a).conversations.update({ id: conversationId, status: "pending", labels: ["vip"], assigneeId: a.users.agent.id });
    await agentOf(a).messages.send({ conversationId: a.rows.conversation.id, text: "a Telegram customer's reply" });
    await agentOf(a).messages.send({ conversationId, text: "the public answer" });
    await until(() => live.messages().some((message) => message.text === "the public answer"), "the public answer");
    expect(live.messages().map((message) => message.text)).toEqual(["mine", "the public answer"]);
    expect(new Set(live.received.map((event) => event.name))).toEqual(new Set(["sync", "message.created"]));
  });

  it("hears nothing but typing from a visitor: joining an agents' room is not a thing it can do", async () => {
    const { browser, answer, live } = await arrive(a);
    await say(browser, "hi");
    const acked = await Promise.race([
      new Promise((resolve) => live.socket.emit("conversation.join", { conversationId: a.rows.conversation.id }, resolve)),
      new Promise((resolve) => setTimeout(() => resolve("no answer"), 300)),
    ]);
    expect(acked).toBe("no answer");
    await agentOf(a).messages.send({ conversationId: a.rows.conversation.id, text: "for the Telegram customer only" });
    const conversationId = (await database.db.conversation.findFirstOrThrow({ where: { externalChatId: answer.visitor.id } })).id;
    await agentOf(a).messages.send({ conversationId, text: "for the visitor" });
    await until(() => live.messages().some((message) => message.text === "for the visitor"), "the visitor's reply");
    expect(JSON.stringify(live.received)).not.toContain("for the Telegram customer only");
    const bad = await new Promise((resolve) => live.socket.emit("typing", { typing: "yes", conversationId: a.rows.conversation.id }, resolve));
    expect(bad).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
  });
});

describe("typing and read receipts", () => {
  async function agentSocket(fixture: TenantFixture, conversationId: string, url = node.url) {
    const token = await signRealtimeToken({ tenantId: fixture.tenant.id, role: "agent", principal: { kind: "user", userId: fixture.users.agent.id, sessionId: fixture.sessions.agent.id } }, secret);
    const received: Received[] = [];
    const socket = connectClient(url, { auth: { token }, transports: ["websocket"], forceNew: true, reconnection: false });
    sockets.push(socket);
    socket.onAny((name: string, payload: Record<string, unknown>) => received.push({ name, payload }));
    await new Promise((resolve) => socket.once("sync", resolve));
    expect(await socket.emitWithAck("conversation.join", { conversationId })).toEqual({ ok: true });
    return { socket, received };
  }

  it("shows the visitor's typing to the agents in the conversation, and the agent's to the visitor", async () => {
    const { browser, answer, live } = await arrive(a);
    await say(browser, "hi");
    const conversationId = (await database.db.conversation.findFirstOrThrow({ where: { externalChatId: answer.visitor.id } })).id;
    const agent = await agentSocket(a, conversationId);
    expect(await live.socket.emitWithAck("typing", { typing: true })).toEqual({ ok: true, shown: true });
    await until(() => agent.received.some((event) => event.name === "conversation.typing_on"), "the visitor typing, in the inbox");
    expect(agent.received.find((event) => event.name === "conversation.typing_on")!.payload).toEqual({ tenantId: a.tenant.id, conversationId, userId: null, contact: true, eventId: null });
    await live.socket.emitWithAck("typing", { typing: false });
    await until(() => agent.received.some((event) => event.name === "conversation.typing_off"), "the visitor stopped typing");

    expect(await agent.socket.emitWithAck("conversation.typing", { conversationId, typing: true })).toMatchObject({ ok: true, forwarded: true });
    await until(() => live.received.some((event) => event.name === "typing" && event.payload.typing === true), "the agent typing, in the widget");
    await agent.socket.emitWithAck("conversation.typing", { conversationId, typing: false });
    await until(() => live.received.some((event) => event.name === "typing" && event.payload.typing === false), "the agent stopped typing");
    expect(JSON.stringify(live.received.filter((event) => event.name === "typing"))).not.toContain(a.users.agent.id);
  });

  it.skipIf(!withRedis)("shows an agent's typing on another realtime node (Redis)", async () => {
    const [first, second] = [await startRealtimeNode(database, { secret, limiters, redis: true }), await startRealtimeNode(database, { secret, limiters, redis: true })];
    extraNodes.push(first, second);
    const browser = browserOf(a);
    const answer = (await browser.session()).body as SessionAnswer;
    const live = await visitorSocket(answer.socketToken, { origin: originOf(a), url: first.url });
    await say(browser, "hi from node one");
    const conversationId = (await database.db.conversation.findFirstOrThrow({ where: { externalChatId: answer.visitor.id } })).id;
    const agent = await agentSocket(a, conversationId, second.url);
    await agent.socket.emitWithAck("conversation.typing", { conversationId, typing: true });
    await until(() => live.received.some((event) => event.name === "typing" && event.payload.typing === true), "typing across nodes");
    await agentOf(a).messages.send({ conversationId, text: "answered through the API" });
    await until(() => live.messages().filter((message) => message.text === "answered through the API").length === 1, "the reply on node one");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.messages().filter((message) => message.text === "answered through the API")).toHaveLength(1);
  });

  it("tells the visitor when the team read the conversation, and the inbox when the visitor read it", async () => {
    const { browser, answer, live } = await arrive(a);
    await say(browser, "please read me");
    const conversationId = (await database.db.conversation.findFirstOrThrow({ where: { externalChatId: answer.visitor.id } })).id;
    await agentOf(a).conversations.markRead({ id: conversationId });
    await until(() => live.received.some((event) => event.name === "read"), "the read receipt");
    const read = live.received.find((event) => event.name === "read")!.payload;
    expect(read).toEqual({ eventId: expect.any(String), at: expect.any(String) });
    expect((await browser.messages()).body).toMatchObject({ agentReadAt: read.at });

    await agentOf(a).messages.send({ conversationId, text: "done" });
    expect((await browser.read()).body).toEqual({ readAt: expect.any(String) });
    const stored = await database.db.conversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(stored.contactReadAt).not.toBeNull();
    // Nothing new from the team since: nothing to record.
    const keys = await database.db.processedUpdate.count({ where: { channelId: a.rows.widgetChannel.id } });
    expect((await browser.read()).body).toEqual({ readAt: null });
    expect(await database.db.processedUpdate.count({ where: { channelId: a.rows.widgetChannel.id } })).toBe(keys);
    const event = await database.db.event.findFirstOrThrow({ where: { conversationId, type: "conversation.updated" }, orderBy: { id: "desc" } });
    expect(event.payload).toMatchObject({ conversation: { id: conversationId, contactReadAt: expect.any(String) } });
    // The visitor's own read is not a "seen" for them.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(live.received.filter((event) => event.name === "read")).toHaveLength(1);
  });
});

describe("who a visitor is", () => {
  it("refuses a forged or altered visitor token, and another channel's — another workspace's included", async () => {
    const { browser } = await arrive(a);
    const genuine = browser.token!;
    const [head, body, signature] = genuine.split(".");
    const altered = `${head}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, "base64url").toString()), sub: "visitor:00000000-0000-4000-8000-000000000000" })).toString("base64url")}.${signature}`;
    const forged = await signVisitorToken({ tenantId: a.tenant.id, channelId: a.rows.widgetChannel.id, visitorId: "user:ceo" }, "someone-elses-secret-".padEnd(40, "y"));
    const fromB = (await browserOf(b).session()).body as SessionAnswer;
    for (const token of [altered, forged, fromB.visitorToken, "not-a-token"]) {
      const probe = browserOf(a);
      probe.token = token;
      expect((await probe.session()).body).toMatchObject({ error: { code: "INVALID_VISITOR_TOKEN" } });
      expect((await probe.messages()).body).toMatchObject({ error: { code: "INVALID_VISITOR_TOKEN" } });
      expect((await say(probe, "let me in")).status).toBe(401);
    }
    // B's own socket token opens nothing of A's: it names B's channel, and A's origin is not B's.
    expect((await visitorSocket(fromB.socketToken, { origin: originOf(a) })).outcome).toEqual({ ok: false, code: "ORIGIN_NOT_ALLOWED" });
    const forgedSocket = await signSocketToken({ tenantId: a.tenant.id, channelId: a.rows.widgetChannel.id, visitorId: "visitor:x" }, "someone-elses-secret-".padEnd(40, "y"));
    expect((await visitorSocket(forgedSocket, { origin: originOf(a) })).outcome).toEqual({ ok: false, code: "UNAUTHORIZED" });
    const expired = await signSocketToken({ tenantId: a.tenant.id, channelId: a.rows.widgetChannel.id, visitorId: "visitor:x" }, secret, Date.now() - 3_600_000);
    expect((await visitorSocket(expired, { origin: originOf(a) })).outcome).toEqual({ ok: false, code: "TOKEN_EXPIRED" });
  });

  it("ends every verified visitor's token and socket when the identity secret is rotated; anonymous visitors keep theirs", async () => {
    const c = await createTenantFixture(database.db, "widget-rotate");
    const verified = browserOf(c);
    const vouched = (await verified.session({ identifier: "user-9", identifierHash: hashOf(c, "user-9") })).body as SessionAnswer;
    expect(vouched.visitor.verified).toBe(true);
    expect((await say(verified, "hi, it is me")).status).toBe(201);
    const live = await visitorSocket(vouched.socketToken, { origin: originOf(c) });
    expect(live.outcome).toEqual({ ok: true });
    const anonymous = await arrive(c);

    await callerFor(database, c.as("admin"), { tenantSlug: c.tenant.slug }).channels.rotateWidgetSecret({ id: c.rows.widgetChannel.id });
    expect((await verified.messages()).body).toMatchObject({ error: { code: "INVALID_VISITOR_TOKEN" } });
    expect((await say(verified, "still me?")).status).toBe(401);
    expect((await visitorSocket(vouched.socketToken, { origin: originOf(c) })).outcome).toEqual({ ok: false, code: "UNAUTHORIZED" });
    await until(() => live.received.some((event) => event.name === "session.ended"), "the verified visitor's open socket to end", 10_000);
    // The old secret vouches for nobody now; an anonymous visitor is not affected.
    expect((await browserOf(c).session({ identifier: "user-9", identifierHash: hashOf(c, "user-9") })).status).toBe(401);
    expect((await anonymous.browser.messages()).status).toBe(200);
  });

  it("takes a visitor's quick sends from two tabs at once into one contact and one conversation, each message once", async () => {
    const { browser, answer } = await arrive(a);
    const otherTab = browserOf(a);
    otherTab.token = browser.token;
    const answers = await Promise.all([say(browser, "one"), say(otherTab, "two"), say(browser, "three"), say(otherTab, "four")]);
    expect(answers.map((sent) => sent.status)).toEqual([201, 201, 201, 201]);
    const conversations = await database.db.conversation.findMany({ where: { channelId: a.rows.widgetChannel.id, externalChatId: answer.visitor.id }, include: { messages: true } });
    expect(conversations).toHaveLength(1);
    expect(conversations[0]!.messages.map((message) => message.text).sort()).toEqual(["four", "one", "three", "two"]);
    expect(await database.db.contactIdentity.count({ where: { channelId: a.rows.widgetChannel.id, externalId: answer.visitor.id } })).toBe(1);
  });

  it("keeps two verified visitors' message ids apart even when ids and identifiers hold the separator", async () => {
    const first = browserOf(a);
    await first.session({ identifier: "a", identifierHash: hashOf(a, "a") });
    const second = browserOf(a);
    await second.session({ identifier: "a:b", identifierHash: hashOf(a, "a:b") });
    expect((await first.send({ text: "from a", clientMessageId: "b:c" })).status).toBe(201);
    expect((await second.send({ text: "from a:b", clientMessageId: "c" })).status).toBe(201);
  });

  it("refuses a forged identifierHash outright, and gives a verified user one conversation across devices", async () => {
    const laptop = browserOf(a);
    expect((await laptop.session({ identifier: "user-42", identifierHash: hashOf(b, "user-42") })).body).toMatchObject({ error: { code: "IDENTITY_NOT_VERIFIED" } });
    expect((await laptop.session({ identifier: "user-42", identifierHash: hashOf(a, "user-43") })).status).toBe(401);
    expect((await laptop.session({ identifier: "user-42" })).status).toBe(401);
    expect(laptop.token).toBeNull();

    const signedIn = await laptop.session({ identifier: "user-42", identifierHash: hashOf(a, "user-42"), name: "Ada Lovelace", email: "ada@example.com" });
    expect(signedIn.body).toMatchObject({ visitor: { id: "user:user-42", name: "Ada Lovelace", email: "ada@example.com", verified: true } });
    await say(laptop, "from my laptop");
    const conversation = await database.db.conversation.findFirstOrThrow({ where: { externalChatId: "user:user-42" } });
    const phone = browserOf(a);
    const onPhone = (await phone.session({ identifier: "user-42", identifierHash: hashOf(a, "user-42").toUpperCase() })).body as SessionAnswer;
    expect(onPhone.conversationId).toBe(conversation.id);
    await say(phone, "and from my phone");
    expect(((await laptop.messages()).body as MessagesAnswer).messages.map((message) => message.text)).toEqual(["from my laptop", "and from my phone"]);
    expect(await database.db.conversation.count({ where: { externalChatId: "user:user-42" } })).toBe(1);
    const contact = await database.db.contact.findFirstOrThrow({ where: { identities: { some: { externalId: "user:user-42" } } }, include: { identities: true } });
    expect(contact).toMatchObject({ name: "Ada Lovelace", email: "ada@example.com" });
    expect(contact.identities[0]!.details).toMatchObject({ verifiedId: "user-42" });
  });

  it("brings an anonymous visitor's conversation along when they sign in on the host site", async () => {
    const browser = browserOf(a);
    await browser.session();
    await say(browser, "before signing in");
    await browser.session({ identifier: "user-77", identifierHash: hashOf(a, "user-77") });
    await say(browser, "after signing in");
    expect(((await browser.messages()).body as MessagesAnswer).messages.map((message) => message.text)).toEqual(["before signing in", "after signing in"]);
  });

  it("keeps one visitor's thread from another: messages, cursors and files", async () => {
    const alice = (await arrive(a)).browser;
    const bob = (await arrive(a)).browser;
    const upload = (await bob.upload({ name: "receipt.jpg", type: "image/jpeg", bytes: tinyJpeg })).body as UploadAnswer;
    const bobs = (await bob.send({ text: "bob's secret", uploadIds: [upload.uploadId], clientMessageId: "bob-1" })).body as VisitorMessage;
    await say(alice, "alice here");
    expect(JSON.stringify((await alice.messages()).body)).not.toContain("bob's secret");
    expect((await alice.messages(bobs.id)).body).toMatchObject({ error: { code: "BAD_CURSOR" } });
    expect((await alice.file(bobs.id, 0)).status).toBe(404);
    expect((await bob.file(bobs.id, 0)).status).toBe(200);
    // Bob's upload is Bob's: Alice cannot attach it by its id.
    expect((await alice.send({ text: "mine now", uploadIds: [upload.uploadId], clientMessageId: "alice-steals" })).body).toMatchObject({ error: { code: "UPLOAD_NOT_FOUND" } });
    // Nor the team's or another workspace's uploads.
    expect((await alice.send({ uploadIds: [a.rows.upload.id], clientMessageId: "alice-2" })).status).toBe(404);
    // A file link works for its one file of its one workspace; pointed at another widget it opens nothing.
    const link = bobs.attachments[0]!.url;
    expect((await alice.open(link)).status).toBe(200);
    expect((await browserOf(b).open(link.replace(a.rows.webWidget.publicId, b.rows.webWidget.publicId))).status).toBe(404);
    expect((await alice.open(link.replace(/\/0\//, "/1/"))).status).toBe(404);
  });
});

describe("the public API's edge", () => {
  it("answers only the channel's allowed origins, with CORS for them and none for anyone else", async () => {
    const allowed = await browserOf(a).config();
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(originOf(a));
    expect(allowed.headers.get("vary")).toBe("Origin");
    expect(allowed.headers.get("access-control-allow-credentials")).toBeNull();
    for (const origin of ["https://evil.example", originOf(b), "null", null]) {
      const refused = browserOf(a, { origin });
      for (const answer of [await refused.config(), await refused.session(), await refused.preflight()]) {
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ error: { code: "ORIGIN_NOT_ALLOWED" } });
        expect(answer.headers.get("access-control-allow-origin")).toBeNull();
      }
    }
    const preflight = await browserOf(a).preflight(["GET", "POST"]);
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries(preflight.headers)).toMatchObject({
      "access-control-allow-origin": originOf(a),
      "access-control-allow-headers": "authorization, content-type",
      "access-control-allow-methods": "GET, POST, OPTIONS",
      vary: "Origin",
    });
    const { answer } = await arrive(a);
    expect((await visitorSocket(answer.socketToken, { origin: "https://evil.example" })).outcome).toEqual({ ok: false, code: "ORIGIN_NOT_ALLOWED" });
    expect((await visitorSocket(answer.socketToken, {})).outcome).toEqual({ ok: false, code: "ORIGIN_NOT_ALLOWED" });
    // And the agents' namespace is not the widget's: a visitor's socket token opens nothing there (agents stand on their own token).
    const visitorAsAgent = connectClient(node.url, { auth: { token: answer.socketToken }, extraHeaders: { origin: originOf(a) }, transports: ["websocket"], forceNew: true, reconnection: false });
    sockets.push(visitorAsAgent);
    const refusal = await new Promise((resolve) => visitorAsAgent.once("connect_error", (error) => resolve((error as { data?: { code?: string } }).data?.code)));
    expect(refusal).toBe("UNAUTHORIZED");
  });

  it("limits messages per visitor and per address with 429 and Retry-After", async () => {
    const tight = createRateLimiters({ databaseUrl: database.url }, { widgetMessage: { points: 3, durationSeconds: 60 }, widgetAddress: { points: 5, durationSeconds: 60 } });
    const browser = (ip: string) => widgetBrowser({ ...deps, limiters: tight }, a.rows.webWidget.publicId, originOf(a), { ip });
    try {
      const chatty = browser("203.0.113.50");
      await chatty.session();
      for (let i = 0; i < 3; i++) expect((await say(chatty, `message ${i}`)).status).toBe(201);
      const refused = await say(chatty, "one too many");
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ error: { code: "TOO_MANY_REQUESTS" } });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.headers.get("access-control-allow-origin")).toBe(originOf(a));
      // A neighbour behind the same address has the address's last point, then the address is spent.
      const neighbour = browser("203.0.113.50");
      await neighbour.session();
      expect((await say(neighbour, "hello")).status).toBe(201);
      expect((await say(neighbour, "hello again")).status).toBe(429);
      const elsewhere = browser("203.0.113.51");
      await elsewhere.session();
      expect((await say(elsewhere, "hi from elsewhere")).status).toBe(201);
    } finally {
      await tight.close();
    }
  });

  it("cleans NUL and lone surrogates from what a visitor sends, and refuses bad input with field errors, never a 5xx", async () => {
    const { browser } = await arrive(a);
    const cleaned = await browser.send({ text: "hel\u0000lo \uD800there", clientMessageId: "dirty-1" });
    expect(cleaned.status).toBe(201);
    expect((cleaned.body as VisitorMessage).text).toBe("hello there");
    for (const [input, field] of [
      [{ text: "x".repeat(4001), clientMessageId: "long" }, "text"],
      [{ text: "no id" }, "clientMessageId"],
      [{ clientMessageId: "empty" }, "text"],
      [{ text: "x", clientMessageId: "files", uploadIds: ["not-a-uuid"] }, "uploadIds.0"],
    ] as const) {
      const refused = await browser.send(input);
      expect(refused.status).toBe(400);
      expect(Object.keys((refused.body as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors)).toContain(field);
    }
  });

  it("refuses everything once the channel is disconnected", async () => {
    const { browser } = await arrive(b);
    await callerFor(database, b.as("admin"), { tenantSlug: b.tenant.slug }).channels.disconnect({ id: b.rows.widgetChannel.id });
    try {
      expect((await browser.config()).body).toMatchObject({ error: { code: "CHANNEL_DISCONNECTED" } });
      expect((await say(browser, "anyone?")).status).toBe(410);
      expect((await browserOf(b).session()).status).toBe(410);
    } finally {
      await database.db.channel.update({ where: { id: b.rows.widgetChannel.id }, data: { status: "active", disconnectedAt: null } });
    }
  });
});

describe("files a visitor sends", () => {
  it("stores an HTML page called photo.jpg as a document and serves it only as a download, to the visitor and to agents", async () => {
    const { browser, answer } = await arrive(a);
    const uploaded = await browser.upload({ name: "photo.jpg", type: "image/jpeg", bytes: hostileHtml });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ fileName: "photo.jpg", mimeType: "application/octet-stream", size: hostileHtml.length });
    const real = (await browser.upload({ name: "IMG_1.bin", type: "text/plain", bytes: tinyJpeg })).body as UploadAnswer;
    const sent = (await browser.send({ text: "see attached", uploadIds: [(uploaded.body as UploadAnswer).uploadId, real.uploadId], clientMessageId: "files-1" })).body as VisitorMessage;
    expect(sent.attachments.map((attachment) => [attachment.kind, attachment.mimeType])).toEqual([
      ["document", "application/octet-stream"],
      ["photo", "image/jpeg"],
    ]);

    const page = await browser.open(sent.attachments[0]!.url);
    expect(page.status).toBe(200);
    expect(Object.fromEntries(page.headers)).toMatchObject({
      "content-type": "application/octet-stream",
      "content-disposition": "attachment; filename*=UTF-8''photo.jpg",
      "content-security-policy": "sandbox; default-src 'none'",
      "x-content-type-options": "nosniff",
    });
    const picture = await browser.open(sent.attachments[1]!.url);
    expect(picture.headers.get("content-type")).toBe("image/jpeg");
    expect(picture.headers.get("content-disposition")).toMatch(/^inline/);
    // The host page embeds it from another origin: a visitor's file is readable cross-origin (its URL is the capability).
    expect(picture.headers.get("cross-origin-resource-policy")).toBe("cross-origin");

    const stored = await database.db.message.findUniqueOrThrow({ where: { id: sent.id } });
    expect(stored.attachments).toMatchObject([{ kind: "document", uploadId: expect.any(String) }, { kind: "photo" }]);
    const forAgent = await proxyAttachment(
      new Request(`https://support.example.test/api/t/${a.tenant.slug}/files/${sent.id}/0`, { headers: { authorization: `Bearer ${a.keys.full.key}` } }),
      { slug: a.tenant.slug, messageId: sent.id, index: "0" },
      { appDb: database.appDb, systemDb: database.db, log: createLogger("test", "silent") },
    );
    expect(forAgent.status).toBe(200);
    expect(forAgent.headers.get("content-type")).toBe("application/octet-stream");
    expect(forAgent.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(forAgent.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    expect(answer.visitor.id).toMatch(/^visitor:/);
  });

  it("refuses a file link that is forged, or for another message", async () => {
    const { browser } = await arrive(a);
    const real = (await browser.upload({ name: "a.jpg", type: "image/jpeg", bytes: tinyJpeg })).body as UploadAnswer;
    const sent = (await browser.send({ uploadIds: [real.uploadId], clientMessageId: "link-1" })).body as VisitorMessage;
    const url = sent.attachments[0]!.url;
    expect((await browser.open(url.replace(/[^/]{6}$/, "AAAAAA"))).status).toBe(404);
    expect((await browser.open(url.replace(sent.id, a.rows.message.id))).status).toBe(404);
  });
});

describe("the widget's configuration", () => {
  it("carries the look, the realtime address, the workspace's published widget strings and, outside business hours, its away text", async () => {
    const admin = callerFor(database, a.as("admin"), { tenantSlug: a.tenant.slug });
    await admin.templates.upsert({ key: "widget.launcher-label", kind: "public", published: true, variants: [{ locale: "en", body: "Talk to us" }, { locale: "ru", body: "Напишите нам" }] });
    await admin.templates.upsert({ key: "widget.title", kind: "public", published: false, variants: [{ locale: "en", body: "Draft title" }] });
    await admin.templates.upsert({ key: "away", kind: "auto_reply", published: true, variants: [{ locale: "en", body: "We are away until Monday." }] });
    const closed = { enabled: true, days: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
    await admin.settings.update({ changes: { businessHours: closed, autoReplies: { greeting: { enabled: false, templateKey: null }, away: { enabled: true, templateKey: "away" }, periodHours: 24 } } });

    const config = (await browserOf(a).config("ru")).body as WidgetConfig;
    expect(config).toMatchObject({
      publicId: a.rows.webWidget.publicId,
      name: a.rows.widgetChannel.name,
      color: "#2563eb",
      position: "right",
      locale: "ru",
      strings: { launcherLabel: "Напишите нам" },
      away: { now: true, message: "We are away until Monday." },
      requireIdentity: false,
      preChat: { enabled: false, fields: [] },
      limits: { text: 4000, files: 5 },
    });
    expect(config.strings).not.toHaveProperty("title");
    expect(config.realtimeUrl).toMatch(/^https?:\/\//);
    await admin.settings.update({ changes: { businessHours: null, autoReplies: null } });
    expect(((await browserOf(a).config()).body as WidgetConfig).away).toEqual({ now: false, message: null });
  });

  it("lets an anonymous visitor read the config of a channel that requires identity, but not write", async () => {
    await database.db.webWidgetChannel.update({ where: { channelId: b.rows.widgetChannel.id }, data: { requireIdentity: true } });
    try {
      const browser = browserOf(b);
      expect(((await browser.config()).body as WidgetConfig).requireIdentity).toBe(true);
      expect((await browser.session()).status).toBe(200);
      expect((await say(browser, "hello?")).body).toMatchObject({ error: { code: "IDENTITY_REQUIRED" } });
      expect((await browser.contact({ email: "me@example.com" })).status).toBe(403);
      expect((await browser.upload({ name: "a.jpg", type: "image/jpeg", bytes: tinyJpeg })).status).toBe(403);
      await browser.session({ identifier: "b-user", identifierHash: hashOf(b, "b-user") });
      expect((await say(browser, "signed in now")).status).toBe(201);
    } finally {
      await database.db.webWidgetChannel.update({ where: { channelId: b.rows.widgetChannel.id }, data: { requireIdentity: false } });
    }
  });

  it("asks the pre-chat form's required fields on the first message and keeps the answers with the contact", async () => {
    const preChat = { enabled: true, fields: [{ key: "name", label: "Name", type: "text", required: true }, { key: "email", label: "Email", type: "email", required: true }, { key: "order", label: "Order number", type: "text", required: false }] };
    await database.db.webWidgetChannel.update({ where: { channelId: b.rows.widgetChannel.id }, data: { preChat } });
    try {
      const browser = browserOf(b);
      await browser.session();
      const refused = await say(browser, "hi", { preChat: { name: "Grace" } });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: "PRE_CHAT_INCOMPLETE", fieldErrors: { "preChat.email": ["this field is required"] } } });
      expect((await say(browser, "hi", { preChat: { name: "Grace", email: "not-an-email" } })).status).toBe(400);
      expect((await say(browser, "hi", { preChat: { name: "Grace", email: "grace@example.com", fields: { order: "1042", admin: "true" } } })).status).toBe(201);
      expect((await say(browser, "no form the second time")).status).toBe(201);
      const contact = await database.db.contact.findFirstOrThrow({ where: { email: "grace@example.com" }, include: { identities: true } });
      expect(contact.name).toBe("Grace");
      expect(contact.identities[0]!.details).toMatchObject({ preChat: { order: "1042" } });
      expect(JSON.stringify(contact.identities[0]!.details)).not.toContain("admin");
    } finally {
      await database.db.webWidgetChannel.update({ where: { channelId: b.rows.widgetChannel.id }, data: { preChat: { enabled: false, fields: [] } } });
    }
  });

  it("keeps an away-form email with the visitor's contact before they write", async () => {
    const { browser, answer } = await arrive(a);
    expect((await browser.contact({ email: "later@example.com", name: "Lin" })).status).toBe(200);
    expect((await browser.contact({ email: "nope" })).status).toBe(400);
    const contact = await database.db.contact.findFirstOrThrow({ where: { identities: { some: { externalId: answer.visitor.id } } } });
    expect(contact).toMatchObject({ email: "later@example.com", name: "Lin" });
    expect(((await browser.session()).body as SessionAnswer).visitor).toMatchObject({ name: "Lin", email: "later@example.com" });
  });
});
