import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeQueryClient } from "@/lib/trpc/query-client";
import { appRouter } from "@/server/api/root";
import type { Context } from "@/server/api/trpc";
import { createRateLimiters } from "@/server/security/rate-limit";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { startRealtimeNode, type TestRealtimeNode } from "@/server/test/realtime";
import { callerFor } from "@/server/test/trpc";
import { until } from "@/server/test/wait";
import { createRealtimeClient, type RealtimeClient, type RealtimeStatus } from "./client";
import type { RealtimeEvent, RealtimeSync } from "./events";
import { applyRealtimeEvent } from "./query-cache";

/**
 * The client module the inbox uses, against a real realtime node: tokens from
 * tRPC, reconnects, resuming, and the TanStack Query cache kept current.
 */
const secret = "client-test-secret-".padEnd(40, "z");
let database: TestDatabase;
let t: TenantFixture;
let limiters: ReturnType<typeof createRateLimiters>;
const nodes: TestRealtimeNode[] = [];
const clients: RealtimeClient[] = [];

beforeAll(async () => {
  process.env.APP_SECRET = secret;
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "rt-client");
  limiters = createRateLimiters({ databaseUrl: database.url });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const node of nodes.splice(0)) await node.close();
});
afterAll(async () => {
  await limiters.close();
  await database.drop();
});

const api = () => callerFor(database, t.as("agent"), { tenantSlug: "rt-client" });
const note = (text: string) => api().messages.send({ conversationId: t.rows.conversation.id, text, isPrivate: true });

async function node(port?: number) {
  const started = await startRealtimeNode(database, { secret, limiters, port });
  nodes.push(started);
  return started;
}

function client(url: string, extra: { lastEventId?: string } = {}) {
  const events: RealtimeEvent[] = [];
  const syncs: (RealtimeSync & { first: boolean })[] = [];
  const statuses: RealtimeStatus[] = [];
  let tokens = 0;
  const created = createRealtimeClient({
    // What the inbox does: ask tRPC, then connect where it says (here, the test node).
    getToken: async () => {
      tokens++;
      return { ...(await api().realtime.token()), url };
    },
    onEvent: (event) => events.push(event),
    onSync: (sync) => syncs.push(sync),
    onStatus: (status) => statuses.push(status),
    ...extra,
  });
  clients.push(created);
  return { client: created, events, syncs, statuses, tokens: () => tokens };
}

describe("the realtime client", () => {
  it("connects with a token from tRPC, reports live, and passes each event on once", async () => {
    const server = await node();
    const c = client(server.url);
    await until(() => c.client.status === "live", "live");
    expect(c.syncs[0]).toMatchObject({ first: true, resync: false, tenantId: t.tenant.id });
    await note("one");
    await note("two");
    await until(() => c.events.length === 2, "two events");
    expect(c.events.map((e) => (e.data.message as { text: string }).text)).toEqual(["one", "two"]);
    expect(c.client.lastEventId).toBe(c.events[1]!.eventId);
  });

  it("after the server restarts, reconnects by itself with a new token and gets what it missed, once", async () => {
    const first = await node();
    const c = client(first.url);
    await until(() => c.client.status === "live", "live");
    await note("before");
    await until(() => c.events.length === 1, "the first event");
    await first.close();
    await until(() => c.statuses.includes("offline"), "offline");
    await note("while away 1");
    await note("while away 2");
    await node(first.port);
    const texts = () => c.events.map((e) => (e.data.message as { text: string } | undefined)?.text);
    await until(() => texts().includes("while away 2"), "the missed events", 15_000);
    // Catching up may also resend a few events from just before the last one seen (see the event_stream
    // migration); the client passes on only those it had not seen, so each message arrives once.
    const mine = texts().filter((text) => ["before", "while away 1", "while away 2"].includes(text!));
    expect(mine).toEqual(["before", "while away 1", "while away 2"]);
    // The server sends what was missed, then the sync that closes the catch-up: it may follow a moment later.
    await until(() => c.syncs.length >= 2, "the reconnection's sync");
    expect(c.syncs.at(-1)).toMatchObject({ first: false, resync: false });
    expect(c.tokens()).toBeGreaterThanOrEqual(3); // the address, the first connection, the reconnection
    await note("live again");
    await until(() => texts().includes("live again"), "live again");
  });

  it("keeps the TanStack Query cache of a thread current: new messages appended, updates replaced, nothing twice", async () => {
    const server = await node();
    const queryClient = makeQueryClient();
    const ctx = (): Context => ({
      db: database.appDb,
      systemDb: database.db,
      appPool: database.appPool,
      limiters,
      headers: new Headers({ "x-tenant": "rt-client" }),
      requestId: "test",
      ip: "203.0.113.9",
      principal: t.as("agent"),
      invalidApiKey: false,
    });
    const trpc = createTRPCOptionsProxy({ router: appRouter, ctx, queryClient });
    const options = trpc.messages.list.queryOptions({ conversationId: t.rows.conversation.id });
    const before = await queryClient.fetchQuery(options);
    const c = createRealtimeClient({
      getToken: async () => ({ ...(await api().realtime.token()), url: server.url }),
      onEvent: (event) => applyRealtimeEvent(queryClient, trpc, event),
    });
    clients.push(c);
    await until(() => c.status === "live", "live");
    const sent = await note("appears without a refetch");
    await until(() => queryClient.getQueryData(options.queryKey)!.messages.length === before.messages.length + 1, "the new message in the cache");
    const cached = queryClient.getQueryData(options.queryKey)!.messages.at(-1)!;
    expect(cached).toMatchObject({ id: sent.id, text: "appears without a refetch", isPrivate: true });
    expect(cached.createdAt).toBeInstanceOf(Date);
    expect(cached.createdAt.getTime()).toBe(sent.createdAt.getTime());
    // The same event again (as catching up may resend it) changes nothing.
    const again = { eventId: "1", tenantId: t.tenant.id, type: "message.created" as const, conversationId: t.rows.conversation.id, at: new Date().toISOString(), data: { message: JSON.parse(JSON.stringify(sent)) } };
    applyRealtimeEvent(queryClient, trpc, again);
    expect(queryClient.getQueryData(options.queryKey)!.messages.filter((m) => m.id === sent.id)).toHaveLength(1);
    // An update replaces the message where it is.
    applyRealtimeEvent(queryClient, trpc, { ...again, type: "message.updated", data: { message: { ...JSON.parse(JSON.stringify(sent)), deliveryStatus: "failed", deliveryError: "blocked", updatedAt: new Date(Date.now() + 1000).toISOString() } } });
    expect(queryClient.getQueryData(options.queryKey)!.messages.at(-1)).toMatchObject({ id: sent.id, deliveryStatus: "failed", deliveryError: "blocked" });
  });

  it("stops for good when the member is removed, saying why", async () => {
    const server = await node();
    const leaving = await createTenantFixture(database.db, "rt-client-leaving");
    const statuses: [RealtimeStatus, string | undefined][] = [];
    const c = createRealtimeClient({
      getToken: async () => ({ ...(await callerFor(database, leaving.as("agent"), { tenantSlug: "rt-client-leaving" }).realtime.token()), url: server.url }),
      onEvent: () => undefined,
      onStatus: (status, detail) => statuses.push([status, detail]),
    });
    clients.push(c);
    await until(() => c.status === "live", "live");
    await database.db.membership.delete({ where: { id: leaving.memberships.agent.id } });
    await until(() => c.status === "ended", "ended", 5000);
    expect(statuses.at(-1)![1]).toMatch(/sign in again/);
  });
});
