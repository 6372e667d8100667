import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/server/db/tenant-scope";
import { createRateLimiters } from "@/server/security/rate-limit";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture } from "@/server/test/fixtures";
import { refusal } from "@/server/test/refusal";
import { callerFor } from "@/server/test/trpc";
import { widgetBrowser, widgetDepsFor } from "@/server/test/widget";
import { startAssignmentRouter } from "@/server/worker/assignment-router";
import { createLogger } from "@/server/logger";
import { onlineOnSignIn } from "./online-on-sign-in";
import { ROUTE_BATCH, routeQueue } from "./route-queue";
import { setAvailability } from "./set-availability";
import { sweepAvailability } from "./sweep-availability";

/**
 * Automatic assignment on a real PostgreSQL: policies, capacity, the queue,
 * availability and its clock, and the router that follows the event log.
 */
let database: TestDatabase;
let slugs = 0;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

type Priority = "urgent" | "high" | "medium" | "low";
type Workspace = Awaited<ReturnType<typeof workspace>>;

/**
 * A workspace whose telegram channel has a policy, with `agents` more members online. The
 * fixture's own three members are offline (the default) unless a test says otherwise.
 */
async function workspace(options: { agents: number; mode?: "round_robin" | "balanced"; capacity?: number; returnAfterMinutes?: number | null; defaultCapacity?: number }) {
  const f = await createTenantFixture(database.db, `assign-${++slugs}`);
  // The fixture's conversation is in a team with a policy of its own: out of these tests' way.
  await database.db.conversation.update({ where: { id: f.rows.conversation.id }, data: { status: "resolved" } });
  if (options.defaultCapacity) {
    await database.db.tenantSettings.update({ where: { tenantId: f.tenant.id }, data: { values: { name: f.tenant.slug, assignment: { defaultCapacity: options.defaultCapacity, offlineAfterMinutes: 2, onlineOnSignIn: false } } } });
  }
  const agents: string[] = [];
  for (let i = 0; i < options.agents; i++) {
    const user = await database.db.user.create({ data: { email: `agent${i}-${f.tenant.slug}@example.com`, name: `Agent ${i}` } });
    await database.db.membership.create({ data: { tenantId: f.tenant.id, userId: user.id, role: "agent", availability: "online", capacity: options.capacity, lastSeenAt: new Date() } });
    agents.push(user.id);
  }
  await database.db.assignmentPolicy.create({
    data: { tenantId: f.tenant.id, channelId: f.rows.channel.id, mode: options.mode ?? "round_robin", returnAfterMinutes: options.returnAfterMinutes ?? null },
  });
  return { f, agents };
}

let chats = 0;
/** A conversation that arrived `minutesAgo` and waits for the policy, as intake leaves one. */
async function arrive(w: Workspace, options: { minutesAgo?: number; priority?: Priority; teamId?: string; assigneeId?: string } = {}) {
  const contact = await database.db.contact.create({ data: { tenantId: w.f.tenant.id, name: `customer ${++chats}` } });
  const at = new Date(Date.now() - (options.minutesAgo ?? 0) * 60_000);
  return database.db.conversation.create({
    data: {
      tenantId: w.f.tenant.id,
      channelId: w.f.rows.channel.id,
      contactId: contact.id,
      externalChatId: `chat-${chats}`,
      queuedAt: at,
      lastMessageAt: at,
      priority: options.priority,
      teamId: options.teamId,
      assigneeId: options.assigneeId,
    },
  });
}

const route = (w: Workspace) => withTenant(database.appDb, w.f.tenant.id, (db) => routeQueue(db, { tenantId: w.f.tenant.id }));
const routeAll = async (w: Workspace) => {
  for (let pass = 0; pass < 20; pass++) if (!(await route(w)).more) return;
};
const setStatus = (w: Workspace, userId: string, status: "online" | "busy" | "offline", now?: Date) =>
  withTenant(database.appDb, w.f.tenant.id, (db) => setAvailability(db, { tenantId: w.f.tenant.id, userId, status, reason: "manual", now }));
const openPer = async (w: Workspace) => {
  const rows = await database.db.conversation.groupBy({ by: ["assigneeId"], where: { tenantId: w.f.tenant.id, status: "open", assigneeId: { not: null } }, _count: { _all: true } });
  return new Map(rows.map((row) => [row.assigneeId!, row._count._all]));
};
const assigneeOf = async (id: string) => (await database.db.conversation.findUniqueOrThrow({ where: { id } })).assigneeId;
const assignmentEvents = (w: Workspace) => database.db.event.findMany({ where: { tenantId: w.f.tenant.id, type: "assignee.changed" }, orderBy: { id: "asc" } });
const resolve = (w: Workspace, id: string) => callerFor(database, w.f.as("owner"), { tenantSlug: w.f.tenant.slug }).conversations.update({ id, status: "resolved" });

describe("round robin", () => {
  it("shares conversations among equal agents so that no one has more than one more than another", async () => {
    const w = await workspace({ agents: 4, mode: "round_robin" });
    for (let i = 0; i < 23; i++) await arrive(w, { minutesAgo: 30 - i });
    await routeAll(w);
    const counts = [...(await openPer(w)).values()];
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(23);
    expect(counts).toHaveLength(4);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    // Later arrivals, routed one by one, keep the turn going round.
    for (let i = 0; i < 9; i++) {
      await arrive(w);
      await route(w);
    }
    const after = [...(await openPer(w)).values()];
    expect(Math.max(...after) - Math.min(...after)).toBeLessThanOrEqual(1);
    const events = await assignmentEvents(w);
    expect(events).toHaveLength(32);
    expect(events[0]!.payload).toMatchObject({ reason: "auto", rule: "round_robin", by: null, previousAssigneeId: null, waitedMs: expect.any(Number) });
    expect((events[0]!.payload as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(29 * 60_000);
  });
});

describe("balanced", () => {
  it("gives the next conversation to the agent with the fewest open ones", async () => {
    const w = await workspace({ agents: 3, mode: "balanced" });
    const [busiest, middle, idle] = w.agents as [string, string, string];
    for (let i = 0; i < 4; i++) await arrive(w, { assigneeId: busiest }).then((c) => database.db.conversation.update({ where: { id: c.id }, data: { queuedAt: null } }));
    for (let i = 0; i < 2; i++) await arrive(w, { assigneeId: middle }).then((c) => database.db.conversation.update({ where: { id: c.id }, data: { queuedAt: null } }));
    const first = await arrive(w);
    await route(w);
    expect(await assigneeOf(first.id)).toBe(idle);
    // idle 1, middle 2, busiest 4: the next two go to idle, then idle and middle alternate at 3.
    const next = [await arrive(w), await arrive(w), await arrive(w)];
    await route(w);
    const counts = await openPer(w);
    expect([counts.get(idle), counts.get(middle), counts.get(busiest)]).toEqual([3, 3, 4]);
    expect(next.length).toBe(3);
    expect((await assignmentEvents(w)).every((event) => (event.payload as { rule: string }).rule === "balanced")).toBe(true);
  });
});

describe("capacity and the queue", () => {
  it("never gives an agent more than their capacity (their own, else the workspace's), and the rest wait in the queue", async () => {
    const w = await workspace({ agents: 2, defaultCapacity: 3 });
    await database.db.membership.updateMany({ where: { userId: w.agents[0] }, data: { capacity: 1 } });
    for (let i = 0; i < 7; i++) await arrive(w, { minutesAgo: 10 - i });
    const result = await route(w);
    expect(result).toMatchObject({ assigned: 4, waiting: 3 });
    const counts = await openPer(w);
    expect([counts.get(w.agents[0]!), counts.get(w.agents[1]!)]).toEqual([1, 3]);
    const queue = await callerFor(database, w.f.as("agent"), { tenantSlug: w.f.tenant.slug }).assignment.queue();
    expect(queue).toMatchObject({ waiting: 3 });
    expect(queue.oldestQueuedAt!.getTime()).toBeLessThan(Date.now() - 5 * 60_000);
    // Routing again changes nothing while nobody has room.
    expect(await route(w)).toMatchObject({ assigned: 0 });
    expect((await assignmentEvents(w)).length).toBe(4);
  });

  it("drains the queue in priority order, then the longest waiting first, as agents resolve; those assignments say `queue`", async () => {
    const w = await workspace({ agents: 1, capacity: 1 });
    const first = await arrive(w, { minutesAgo: 60 });
    await route(w);
    expect(await assigneeOf(first.id)).toBe(w.agents[0]);
    const oldLow = await arrive(w, { minutesAgo: 50, priority: "low" });
    const none = await arrive(w, { minutesAgo: 55 });
    const newUrgent = await arrive(w, { minutesAgo: 1, priority: "urgent" });
    const oldUrgent = await arrive(w, { minutesAgo: 40, priority: "urgent" });
    const high = await arrive(w, { minutesAgo: 45, priority: "high" });
    await route(w);
    const order: string[] = [];
    let current = first.id;
    for (let i = 0; i < 5; i++) {
      await resolve(w, current);
      await route(w);
      const next = await database.db.conversation.findFirstOrThrow({ where: { tenantId: w.f.tenant.id, assigneeId: w.agents[0], status: "open" } });
      order.push(next.id);
      current = next.id;
    }
    expect(order).toEqual([oldUrgent.id, newUrgent.id, high.id, oldLow.id, none.id]);
    const fromQueue = (await assignmentEvents(w)).slice(1);
    expect(fromQueue.map((event) => (event.payload as { reason: string }).reason)).toEqual(["queue", "queue", "queue", "queue", "queue"]);
  });

  it("gives busy and offline agents nothing new; coming online, an agent gets the longest-waiting conversation", async () => {
    const w = await workspace({ agents: 3 });
    const [online, busy, offline] = w.agents as [string, string, string];
    await setStatus(w, busy, "busy");
    await setStatus(w, offline, "offline");
    for (let i = 0; i < 6; i++) await arrive(w, { minutesAgo: 10 - i });
    await database.db.membership.updateMany({ where: { userId: online }, data: { capacity: 2 } });
    await route(w);
    const counts = await openPer(w);
    expect(counts.get(online)).toBe(2);
    expect(counts.get(busy)).toBeUndefined();
    expect(counts.get(offline)).toBeUndefined();
    const longest = await database.db.conversation.findFirstOrThrow({ where: { tenantId: w.f.tenant.id, assigneeId: null, status: "open", queuedAt: { not: null } }, orderBy: { queuedAt: "asc" } });
    await setStatus(w, offline, "online");
    await route(w);
    expect(await assigneeOf(longest.id)).toBe(offline);
    const changes = await database.db.event.findMany({ where: { tenantId: w.f.tenant.id, type: "availability.changed" }, orderBy: { id: "asc" } });
    expect(changes.map((event) => event.payload)).toEqual([
      { userId: busy, status: "busy", previousStatus: "online", reason: "manual" },
      { userId: offline, status: "offline", previousStatus: "online", reason: "manual" },
      { userId: offline, status: "online", previousStatus: "offline", reason: "manual" },
    ]);
  });

  it("a team with room gets its conversation even behind a full batch of another team's waiting ones", async () => {
    const w = await workspace({ agents: 2, capacity: 1 });
    const [busy, free] = w.agents as [string, string];
    const team = (name: string, userId: string) => database.db.team.create({ data: { tenantId: w.f.tenant.id, name, nameKey: name, members: { create: { tenantId: w.f.tenant.id, userId } } } });
    const [billing, sales] = [await team("billing", busy), await team("sales", free)];
    const contact = await database.db.contact.create({ data: { tenantId: w.f.tenant.id, name: "many" } });
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    await database.db.conversation.create({ data: { tenantId: w.f.tenant.id, channelId: w.f.rows.channel.id, contactId: contact.id, externalChatId: "busy", teamId: billing.id, assigneeId: busy } });
    // More waiting billing conversations than a pass looks at, all older than the one sales conversation.
    await database.db.conversation.createMany({
      data: Array.from({ length: ROUTE_BATCH + 10 }, (_, i) => ({ tenantId: w.f.tenant.id, channelId: w.f.rows.channel.id, contactId: contact.id, externalChatId: `billing-${i}`, teamId: billing.id, queuedAt: at(100 - i / 100), queueWaiting: true })),
    });
    const forSales = await arrive(w, { teamId: sales.id, minutesAgo: 1 });
    await database.db.conversation.update({ where: { id: forSales.id }, data: { queueWaiting: true } });
    await route(w);
    expect(await assigneeOf(forSales.id)).toBe(free);
  });

  it("gives a team's conversation only to that team's members, and one without a team to anyone", async () => {
    const w = await workspace({ agents: 3 });
    const team = await database.db.team.create({ data: { tenantId: w.f.tenant.id, name: "Billing", nameKey: "billing", members: { create: { tenantId: w.f.tenant.id, userId: w.agents[2]! } } } });
    const billing = [await arrive(w, { teamId: team.id }), await arrive(w, { teamId: team.id }), await arrive(w, { teamId: team.id })];
    await route(w);
    for (const conversation of billing) expect(await assigneeOf(conversation.id)).toBe(w.agents[2]);
  });
});

describe("manual assignment", () => {
  it("wins: the policy never undoes it, nor takes it back when the agent goes offline", async () => {
    const w = await workspace({ agents: 2, returnAfterMinutes: 0 });
    const conversation = await arrive(w);
    const owner = callerFor(database, w.f.as("owner"), { tenantSlug: w.f.tenant.slug });
    await owner.conversations.update({ id: conversation.id, assigneeId: w.agents[1] });
    await route(w);
    const stored = await database.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(stored).toMatchObject({ assigneeId: w.agents[1], queuedAt: null, autoAssigned: false });
    await setStatus(w, w.agents[1]!, "offline");
    await route(w);
    expect(await assigneeOf(conversation.id)).toBe(w.agents[1]);
    const events = await assignmentEvents(w);
    expect(events.map((event) => (event.payload as { reason: string }).reason)).toEqual(["manual"]);
  });

  it("may go past capacity (a person decided), and the policy then gives that agent nothing more", async () => {
    const w = await workspace({ agents: 1, capacity: 1 });
    const owner = callerFor(database, w.f.as("owner"), { tenantSlug: w.f.tenant.slug });
    const [a, b] = [await arrive(w), await arrive(w)];
    await owner.conversations.update({ id: a.id, assigneeId: w.agents[0] });
    await owner.conversations.update({ id: b.id, assigneeId: w.agents[0] });
    const waiting = await arrive(w);
    await route(w);
    expect(await assigneeOf(waiting.id)).toBeNull();
  });
});

describe("going offline", () => {
  it("returns an agent's policy-given conversations to the queue after the policy's grace, and they go to whoever is online", async () => {
    const w = await workspace({ agents: 2, returnAfterMinutes: 5 });
    const [leaving, staying] = w.agents as [string, string];
    await database.db.membership.updateMany({ where: { userId: staying }, data: { availability: "offline" } });
    const conversations = [await arrive(w), await arrive(w)];
    await route(w);
    for (const conversation of conversations) expect(await assigneeOf(conversation.id)).toBe(leaving);
    const wentAt = new Date(Date.now() - 10 * 60_000);
    await setStatus(w, leaving, "offline", wentAt);
    // Within the grace nothing moves.
    const sweep = (now: Date) => withTenant(database.appDb, w.f.tenant.id, (db) => sweepAvailability(db, { tenantId: w.f.tenant.id, now }));
    expect(await sweep(new Date(wentAt.getTime() + 4 * 60_000))).toEqual({ wentOffline: 0, returned: 0 });
    expect(await assigneeOf(conversations[0]!.id)).toBe(leaving);
    expect(await sweep(new Date(wentAt.getTime() + 5 * 60_000))).toEqual({ wentOffline: 0, returned: 2 });
    for (const conversation of conversations) expect(await assigneeOf(conversation.id)).toBeNull();
    const returned = (await assignmentEvents(w)).slice(2);
    expect(returned.map((event) => event.payload)).toEqual([
      expect.objectContaining({ reason: "offline", previousAssigneeId: leaving, offlineSinceMs: 5 * 60_000 }),
      expect.objectContaining({ reason: "offline", previousAssigneeId: leaving }),
    ]);
    await setStatus(w, staying, "online");
    await route(w);
    for (const conversation of conversations) expect(await assigneeOf(conversation.id)).toBe(staying);
    expect((await assignmentEvents(w)).slice(4).map((event) => (event.payload as { reason: string }).reason)).toEqual(["queue", "queue"]);
    // The thread's lines: who had it and why, oldest first.
    const history = await callerFor(database, w.f.as("agent"), { tenantSlug: w.f.tenant.slug }).conversations.assignments({ id: conversations[0]!.id });
    expect(history.map(({ reason, assigneeId, previousAssigneeId, rule }) => ({ reason, assigneeId, previousAssigneeId, rule }))).toEqual([
      { reason: "auto", assigneeId: leaving, previousAssigneeId: null, rule: "round_robin" },
      { reason: "offline", assigneeId: null, previousAssigneeId: leaving, rule: null },
      { reason: "queue", assigneeId: staying, previousAssigneeId: null, rule: "round_robin" },
    ]);
  });

  it("with a return after 0 minutes, going offline gives them back at once; a policy without a return keeps them", async () => {
    const w = await workspace({ agents: 1, returnAfterMinutes: 0 });
    const conversation = await arrive(w);
    await route(w);
    expect((await setStatus(w, w.agents[0]!, "offline")).returned).toBe(1);
    expect(await assigneeOf(conversation.id)).toBeNull();
    const kept = await workspace({ agents: 1, returnAfterMinutes: null });
    const mine = await arrive(kept);
    await route(kept);
    expect((await setStatus(kept, kept.agents[0]!, "offline")).returned).toBe(0);
    expect(await withTenant(database.appDb, kept.f.tenant.id, (db) => sweepAvailability(db, { tenantId: kept.f.tenant.id, now: new Date(Date.now() + 86_400_000) }))).toMatchObject({ returned: 0 });
    expect(await assigneeOf(mine.id)).toBe(kept.agents[0]);
  });

  it("turns an agent offline when their last inbox closed longer ago than the workspace's grace", async () => {
    const w = await workspace({ agents: 2 });
    const now = new Date();
    await database.db.membership.updateMany({ where: { userId: w.agents[0] }, data: { lastSeenAt: new Date(now.getTime() - 3 * 60_000) } });
    await database.db.membership.updateMany({ where: { userId: w.agents[1] }, data: { lastSeenAt: new Date(now.getTime() - 60_000) } });
    expect(await withTenant(database.appDb, w.f.tenant.id, (db) => sweepAvailability(db, { tenantId: w.f.tenant.id, now }))).toEqual({ wentOffline: 1, returned: 0 });
    const members = await database.db.membership.findMany({ where: { userId: { in: w.agents } } });
    expect(Object.fromEntries(members.map((member) => [member.userId, member.availability]))).toEqual({ [w.agents[0]!]: "offline", [w.agents[1]!]: "online" });
    const event = await database.db.event.findFirstOrThrow({ where: { tenantId: w.f.tenant.id, type: "availability.changed" } });
    expect(event.payload).toEqual({ userId: w.agents[0], status: "offline", previousStatus: "online", reason: "disconnected" });
  });
});

describe("reopening", () => {
  it("goes back to the previous assignee when they are online with room, else to someone else or the queue", async () => {
    const w = await workspace({ agents: 2, capacity: 1 });
    const conversation = await arrive(w);
    await route(w);
    const first = (await assigneeOf(conversation.id))!;
    const second = w.agents.find((agent) => agent !== first)!;
    expect(w.agents).toContain(first);
    await resolve(w, conversation.id);
    // Reopened as intake does it: open again, waiting for the policy, still with its assignee.
    await database.db.conversation.update({ where: { id: conversation.id }, data: { status: "open", queuedAt: new Date() } });
    await route(w);
    expect(await database.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({ assigneeId: first, queuedAt: null });
    await resolve(w, conversation.id);
    await setStatus(w, first, "offline");
    await database.db.conversation.update({ where: { id: conversation.id }, data: { status: "open", queuedAt: new Date() } });
    await route(w);
    expect(await assigneeOf(conversation.id)).toBe(second);
    const last = (await assignmentEvents(w)).at(-1)!;
    expect(last.payload).toMatchObject({ reason: "auto", previousAssigneeId: first });
  });

  it("a reopening whose previous assignee is offline and nobody has room waits in the queue, marked returned", async () => {
    const w = await workspace({ agents: 1, capacity: 1 });
    const conversation = await arrive(w);
    await route(w);
    await resolve(w, conversation.id);
    await setStatus(w, w.agents[0]!, "offline");
    await database.db.conversation.update({ where: { id: conversation.id }, data: { status: "open", queuedAt: new Date() } });
    await route(w);
    expect(await database.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({ assigneeId: null, queueWaiting: true });
    expect((await assignmentEvents(w)).at(-1)!.payload).toMatchObject({ reason: "offline", previousAssigneeId: w.agents[0] });
  });
});

describe("through the product", () => {
  it("intake queues a widget visitor's first message where the channel's policy assigns, and the router gives it to an online agent", async () => {
    const w = await workspace({ agents: 1 });
    await database.db.assignmentPolicy.create({ data: { tenantId: w.f.tenant.id, channelId: w.f.rows.widgetChannel.id, mode: "balanced" } });
    process.env.APP_SECRET = "assignment-test-secret-".padEnd(40, "x");
    const limiters = createRateLimiters({ databaseUrl: database.url });
    const deps = widgetDepsFor(database, { secret: process.env.APP_SECRET, limiters });
    const browser = widgetBrowser(deps, w.f.rows.webWidget.publicId, w.f.rows.webWidget.allowedOrigins[0]!);
    await browser.session();
    const router = startAssignmentRouter({ connectionString: database.url, appDb: database.appDb, systemDb: database.db, log: createLogger("test", "silent"), pollMs: 60_000 });
    try {
      expect((await browser.send({ text: "Hello, anyone?", clientMessageId: randomUUID() })).status).toBe(201);
      const conversation = await database.db.conversation.findFirstOrThrow({ where: { tenantId: w.f.tenant.id, channelId: w.f.rows.widgetChannel.id } });
      await router.routeNow();
      expect(await assigneeOf(conversation.id)).toBe(w.agents[0]);
      const event = (await assignmentEvents(w)).at(-1)!;
      expect(event.payload).toMatchObject({ reason: "auto", rule: "balanced", conversation: { id: conversation.id, assignee: { id: w.agents[0] } } });
      // Resolved, then the visitor writes again: intake reopens it waiting for the policy, which leaves it with its agent.
      await resolve(w, conversation.id);
      expect((await browser.send({ text: "One more thing", clientMessageId: randomUUID() })).status).toBe(201);
      expect(await database.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({ status: "open", assigneeId: w.agents[0], queuedAt: expect.any(Date) });
      await router.routeNow();
      expect(await database.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).toMatchObject({ assigneeId: w.agents[0], queuedAt: null });
    } finally {
      await router.stop();
      await limiters.close();
    }
  });

  it("moving an unassigned conversation into a team whose policy assigns puts it in that team's queue", async () => {
    const w = await workspace({ agents: 1 });
    const owner = callerFor(database, w.f.as("owner"), { tenantSlug: w.f.tenant.slug });
    const team = await owner.teams.create({ name: "Escalations", userIds: [w.agents[0]!] });
    await owner.assignment.updatePolicy({ teamId: team.id, mode: "round_robin", returnAfterMinutes: null });
    const contact = await database.db.contact.create({ data: { tenantId: w.f.tenant.id, name: "unrouted" } });
    const conversation = await database.db.conversation.create({ data: { tenantId: w.f.tenant.id, channelId: w.f.rows.widgetChannel.id, contactId: contact.id, externalChatId: "unrouted" } });
    await owner.conversations.update({ id: conversation.id, teamId: team.id });
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).queuedAt).not.toBeNull();
    await route(w);
    expect(await assigneeOf(conversation.id)).toBe(w.agents[0]);
  });

  it("turning a policy on queues the subject's open unassigned conversations; turning it off drops them from the queue", async () => {
    const w = await workspace({ agents: 0 });
    const owner = callerFor(database, w.f.as("owner"), { tenantSlug: w.f.tenant.slug });
    const contact = await database.db.contact.create({ data: { tenantId: w.f.tenant.id, name: "backlog" } });
    const backlog = await database.db.conversation.create({ data: { tenantId: w.f.tenant.id, channelId: w.f.rows.widgetChannel.id, contactId: contact.id, externalChatId: "backlog", lastMessageAt: new Date(Date.now() - 3_600_000) } });
    const on = await owner.assignment.updatePolicy({ channelId: w.f.rows.widgetChannel.id, mode: "round_robin", returnAfterMinutes: 15 });
    expect(on).toMatchObject({ subject: { kind: "channel", id: w.f.rows.widgetChannel.id }, mode: "round_robin", returnAfterMinutes: 15 });
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: backlog.id } })).queuedAt).toEqual(backlog.lastMessageAt);
    await owner.assignment.updatePolicy({ channelId: w.f.rows.widgetChannel.id, mode: "off", returnAfterMinutes: null });
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: backlog.id } })).queuedAt).toBeNull();
    const audit = await database.db.auditLog.findMany({ where: { tenantId: w.f.tenant.id, action: "assignment.policy_updated" }, orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => entry.metadata)).toEqual([
      { before: { mode: "off", returnAfterMinutes: null }, after: { mode: "round_robin", returnAfterMinutes: 15 } },
      { before: { mode: "round_robin", returnAfterMinutes: 15 }, after: { mode: "off", returnAfterMinutes: null } },
    ]);
    const listed = await owner.assignment.listPolicies();
    expect(listed.channels.map((policy) => policy.subject.id)).toEqual([w.f.rows.channel.id, w.f.rows.widgetChannel.id]);
    expect(listed.teams).toEqual([expect.objectContaining({ subject: expect.objectContaining({ id: w.f.rows.team.id }), mode: "round_robin", returnAfterMinutes: 5 })]);
  });

  it("two admins saving a subject's first policy at once both succeed, and it has one policy", async () => {
    const w = await workspace({ agents: 0 });
    const team = await database.db.team.create({ data: { tenantId: w.f.tenant.id, name: "Race", nameKey: "race" } });
    const [first, second] = [callerFor(database, w.f.as("owner"), { tenantSlug: w.f.tenant.slug }), callerFor(database, w.f.as("admin"), { tenantSlug: w.f.tenant.slug })];
    const saved = await Promise.all([
      first.assignment.updatePolicy({ teamId: team.id, mode: "balanced", returnAfterMinutes: 5 }),
      second.assignment.updatePolicy({ teamId: team.id, mode: "round_robin", returnAfterMinutes: 5 }),
    ]);
    expect(saved.map((policy) => policy.subject.id)).toEqual([team.id, team.id]);
    expect(await database.db.assignmentPolicy.count({ where: { teamId: team.id } })).toBe(1);
  });

  it("refuses a policy for two subjects or none, a mode it does not know and a return outside 0–1440 minutes, naming the field", async () => {
    const w = await workspace({ agents: 0 });
    const owner = callerFor(database, w.f.as("owner"), { tenantSlug: w.f.tenant.slug });
    const both = { channelId: w.f.rows.channel.id, teamId: w.f.rows.team.id, mode: "balanced", returnAfterMinutes: null } as never;
    expect(await refusal(owner.assignment.updatePolicy(both))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await refusal(owner.assignment.updatePolicy({ channelId: w.f.rows.channel.id, mode: "fastest" as never, returnAfterMinutes: null }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await refusal(owner.assignment.updatePolicy({ channelId: w.f.rows.channel.id, mode: "balanced", returnAfterMinutes: 1441 }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await refusal(owner.assignment.setCapacity({ userId: w.f.users.agent.id, capacity: 0 }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { capacity: ["at least 1"] } });
    expect(await refusal(owner.assignment.setCapacity({ userId: randomUUID(), capacity: 3 }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(owner.assignment.getPolicy({ channelId: randomUUID() }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("signing in makes a member online only where the workspace says so", async () => {
    const w = await workspace({ agents: 0 });
    const elsewhere = await workspace({ agents: 0 });
    await database.db.membership.create({ data: { tenantId: elsewhere.f.tenant.id, userId: w.f.users.agent.id, role: "agent" } });
    await database.db.tenantSettings.update({ where: { tenantId: w.f.tenant.id }, data: { values: { name: "x", assignment: { defaultCapacity: 10, offlineAfterMinutes: 2, onlineOnSignIn: true } } } });
    expect(await onlineOnSignIn({ appDb: database.appDb, systemDb: database.db }, w.f.users.agent.id)).toEqual([w.f.tenant.id]);
    const memberships = await database.db.membership.findMany({ where: { userId: w.f.users.agent.id } });
    expect(Object.fromEntries(memberships.map((m) => [m.tenantId, m.availability]))).toEqual({ [w.f.tenant.id]: "online", [elsewhere.f.tenant.id]: "offline" });
    expect((await database.db.event.findFirstOrThrow({ where: { tenantId: w.f.tenant.id, type: "availability.changed" } })).payload).toMatchObject({ reason: "signed_in" });
  });
});
