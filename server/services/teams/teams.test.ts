import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { refusal } from "@/server/test/refusal";
import { callerFor } from "@/server/test/trpc";

let database: TestDatabase;
let t: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "teams");
  other = await createTenantFixture(database.db, "teams-other");
});
afterAll(async () => {
  await database.drop();
});

const as = (role: "owner" | "admin" | "agent", fixture = t) => callerFor(database, fixture.as(role), { tenantSlug: fixture.tenant.slug });
const eventsOf = (type: string, conversationId: string) => database.db.event.findMany({ where: { type, conversationId }, orderBy: { id: "asc" } });

async function newConversation(name: string, data: { minutesAgo: number; priority?: "urgent" | "high" | "medium" | "low"; teamId?: string }) {
  const contact = await database.db.contact.create({ data: { tenantId: t.tenant.id, name } });
  return database.db.conversation.create({
    data: {
      tenantId: t.tenant.id,
      channelId: t.rows.channel.id,
      contactId: contact.id,
      externalChatId: `chat-${name}`,
      lastMessageAt: new Date(Date.now() - data.minutesAgo * 60_000),
      priority: data.priority,
      teamId: data.teamId,
    },
  });
}

describe("teams", () => {
  it("an admin creates a team with members, renames it and describes it; every change is audited", async () => {
    const admin = as("admin");
    const created = await admin.teams.create({ name: "  Billing ", description: "Invoices and refunds", userIds: [t.users.agent.id, t.users.agent.id] });
    expect(created).toMatchObject({ name: "Billing", description: "Invoices and refunds", members: [{ id: t.users.agent.id, name: t.users.agent.name }], openConversations: 0 });
    const renamed = await admin.teams.update({ id: created.id, name: "Billing & refunds", description: "" });
    expect(renamed).toMatchObject({ name: "Billing & refunds", description: null });
    const audit = await database.db.auditLog.findMany({ where: { tenantId: t.tenant.id, targetId: created.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((entry) => entry.action)).toEqual(["team.created", "team.updated"]);
    expect(audit[1]!.metadata).toEqual({ changed: ["name", "description"] });
  });

  it("refuses a second team of the same name, whatever its case, with CONFLICT on the name; another workspace may use it", async () => {
    await as("admin").teams.create({ name: "Sales" });
    expect(await refusal(as("admin").teams.create({ name: "sales" }))).toMatchObject({ code: "CONFLICT", fieldErrors: { name: ["another team has this name"] } });
    const second = await as("admin").teams.create({ name: "Partners" });
    expect(await refusal(as("admin").teams.update({ id: second.id, name: "SALES" }))).toMatchObject({ code: "CONFLICT" });
    expect(await as("admin", other).teams.create({ name: "Sales" })).toMatchObject({ name: "Sales" });
  });

  it("compares names as text, not as patterns: % and _ match only themselves, and a trailing backslash is a name like any other", async () => {
    for (const name of ["100%", "B_lling", "Back\\", "%", "_"]) expect((await as("admin").teams.create({ name })).name).toBe(name);
    expect(await refusal(as("admin").teams.create({ name: "back\\" }))).toMatchObject({ code: "CONFLICT" });
  });

  it("refuses empty and overlong names and too many people at once, with field errors", async () => {
    expect(await refusal(as("admin").teams.create({ name: "   " }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { name: ["a team needs a name"] } });
    expect(await refusal(as("admin").teams.create({ name: "x".repeat(61) }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { name: ["at most 60 characters"] } });
    const many = Array.from({ length: 201 }, () => crypto.randomUUID());
    expect(await refusal(as("admin").teams.create({ name: "Crowd", userIds: many }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { userIds: ["at most 200 people at a time"] } });
  });

  it("refuses a team beyond the workspace's 500 with CONFLICT saying what to do", async () => {
    const existing = await database.db.team.count({ where: { tenantId: other.tenant.id } });
    await database.db.team.createMany({ data: Array.from({ length: 500 - existing }, (_, i) => ({ tenantId: other.tenant.id, name: `Bulk ${i}`, nameKey: `bulk ${i}` })) });
    await expect(as("admin", other).teams.create({ name: "One too many" })).rejects.toMatchObject({ code: "CONFLICT", message: "a workspace has at most 500 teams; delete one you no longer use first" });
    await database.db.team.deleteMany({ where: { tenantId: other.tenant.id, name: { startsWith: "Bulk " } } });
  });

  it("adds and removes members; a person of another workspace, or nobody's id, cannot join", async () => {
    const team = await as("admin").teams.create({ name: "Second line" });
    const added = await as("admin").teams.addMembers({ id: team.id, userIds: [t.users.owner.id, t.users.admin.id] });
    expect(added.members.map((member) => member.id).sort()).toEqual([t.users.owner.id, t.users.admin.id].sort());
    // Adding someone already in it changes nothing and records nothing.
    const auditBefore = await database.db.auditLog.count({ where: { targetId: team.id } });
    await as("admin").teams.addMembers({ id: team.id, userIds: [t.users.owner.id] });
    expect(await database.db.auditLog.count({ where: { targetId: team.id } })).toBe(auditBefore);

    for (const stranger of [other.users.agent.id, crypto.randomUUID()]) {
      expect(await refusal(as("admin").teams.addMembers({ id: team.id, userIds: [stranger] }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { userIds: [expect.stringMatching(/^not members of this workspace/)] } });
    }
    const removed = await as("admin").teams.removeMember({ id: team.id, userId: t.users.owner.id });
    expect(removed.members.map((member) => member.id)).toEqual([t.users.admin.id]);
    await expect(as("admin").teams.removeMember({ id: team.id, userId: t.users.owner.id })).rejects.toMatchObject({ code: "NOT_FOUND", message: "that person is not in this team" });
  });

  it("a member removed from the workspace leaves its teams", async () => {
    const team = await as("admin").teams.create({ name: "Night shift", userIds: [t.users.agent.id] });
    const invitee = await database.db.user.create({ data: { email: "leaver@teams.example", name: "Leaver" } });
    const membership = await database.db.membership.create({ data: { tenantId: t.tenant.id, userId: invitee.id, role: "agent" } });
    await as("admin").teams.addMembers({ id: team.id, userIds: [invitee.id] });
    await as("owner").members.remove({ membershipId: membership.id });
    const after = (await as("agent").teams.list()).find((candidate) => candidate.id === team.id)!;
    expect(after.members.map((member) => member.id)).toEqual([t.users.agent.id]);
  });

  it("deleting a team keeps its conversations, in no team, each with a team.changed event", async () => {
    const team = await as("admin").teams.create({ name: "Temporary" });
    const conversation = await newConversation("Tara Temp", { minutesAgo: 1, teamId: team.id });
    expect((await as("agent").teams.list()).find((candidate) => candidate.id === team.id)!.openConversations).toBe(1);
    expect(await as("admin").teams.delete({ id: team.id })).toEqual({ id: team.id, conversations: 1 });
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).teamId).toBeNull();
    const [event] = await eventsOf("team.changed", conversation.id);
    // The conversation's whole summary, as when an agent moves one.
    expect(event!.payload).toMatchObject({ conversation: { id: conversation.id, team: null, contact: { name: "Tara Temp" }, channel: { id: t.rows.channel.id } }, previousTeamId: team.id, reason: "team deleted" });
    expect(await refusal(as("admin").teams.delete({ id: team.id }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("a conversation's team and priority", () => {
  it("moves to a team and back to none, with a team.changed event each time; the summary names the team", async () => {
    const team = await as("admin").teams.create({ name: "Escalations" });
    const conversation = await newConversation("Ivan Move", { minutesAgo: 2 });
    const moved = await as("agent").conversations.update({ id: conversation.id, teamId: team.id });
    expect(moved.team).toEqual({ id: team.id, name: "Escalations" });
    await as("agent").conversations.update({ id: conversation.id, teamId: team.id }); // no change, no event
    const cleared = await as("agent").conversations.update({ id: conversation.id, teamId: null });
    expect(cleared.team).toBeNull();
    const events = await eventsOf("team.changed", conversation.id);
    expect(events.map((event) => (event.payload as { previousTeamId: string | null }).previousTeamId)).toEqual([null, team.id]);
    expect(events[0]!.payload).toMatchObject({ conversation: { team: { id: team.id, name: "Escalations" } }, by: t.users.agent.id });
  });

  it("refuses another workspace's team, and an id that is nobody's, without changing the conversation", async () => {
    const conversation = await newConversation("Nina Nowhere", { minutesAgo: 2 });
    for (const teamId of [other.rows.team.id, crypto.randomUUID()]) {
      expect(await refusal(as("agent").conversations.update({ id: conversation.id, teamId }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { teamId: ["not a team of this workspace"] } });
    }
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).teamId).toBeNull();
  });

  it("sets and clears the priority with priority.changed events, and refuses a priority that does not exist", async () => {
    const conversation = await newConversation("Paul Priority", { minutesAgo: 2 });
    expect((await as("agent").conversations.update({ id: conversation.id, priority: "urgent" })).priority).toBe("urgent");
    expect((await as("agent").conversations.update({ id: conversation.id, priority: null })).priority).toBeNull();
    const events = await eventsOf("priority.changed", conversation.id);
    expect(events.map((event) => (event.payload as { previousPriority: string | null }).previousPriority)).toEqual([null, "urgent"]);
    expect(await refusal(as("agent").conversations.update({ id: conversation.id, priority: "critical" as "urgent" }))).toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("the inbox's team views and priority order", () => {
  let ids: Record<string, string>;
  let teamId: string;

  beforeAll(async () => {
    const team = await database.db.team.create({ data: { tenantId: t.tenant.id, name: "Inbox view team", nameKey: "inbox view team", members: { create: { tenantId: t.tenant.id, userId: t.users.admin.id } } } });
    teamId = team.id;
    ids = {};
    for (const [name, data] of [
      ["v-low-new", { minutesAgo: 1, priority: "low", teamId }],
      ["v-none-new", { minutesAgo: 2, teamId }],
      ["v-urgent-old", { minutesAgo: 30, priority: "urgent", teamId }],
      ["v-urgent-new", { minutesAgo: 3, priority: "urgent", teamId }],
      ["v-high", { minutesAgo: 4, priority: "high", teamId }],
      ["v-none-old", { minutesAgo: 40, teamId }],
    ] as const) {
      ids[name] = (await newConversation(name, data)).id;
    }
  });

  const namesOf = (items: { id: string }[]) => items.map((item) => Object.keys(ids).find((name) => ids[name] === item.id) ?? "other");

  it("'my_teams' lists the conversations of the caller's teams only; teamId one team's", async () => {
    const mine = await as("admin").conversations.list({ view: "my_teams" });
    expect(new Set(namesOf(mine.items))).toEqual(new Set(Object.keys(ids)));
    // The agent is in the fixture's team only: its conversation, none of these.
    expect((await as("agent").conversations.list({ view: "my_teams" })).items.map((item) => item.id)).toEqual([t.rows.conversation.id]);
    // A key is nobody's teammate.
    expect((await callerFor(database, t.asKey(t.keys.full)).conversations.list({ view: "my_teams" })).items).toEqual([]);
    expect(namesOf((await as("agent").conversations.list({ teamId })).items)).toHaveLength(6);
    expect((await as("agent").conversations.list({ teamId: other.rows.team.id })).items).toEqual([]);
  });

  it("sorted by priority: most urgent first, none last, newest first within each, the same across pages of any size", async () => {
    const expected = ["v-urgent-new", "v-urgent-old", "v-high", "v-low-new", "v-none-new", "v-none-old"];
    expect(namesOf((await as("agent").conversations.list({ teamId, sort: "priority" })).items)).toEqual(expected);
    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await as("agent").conversations.list({ teamId, sort: "priority", limit, cursor });
        seen.push(...namesOf(page.items));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen, `pages of ${limit}`).toEqual(expected);
    }
    // Newest activity first, as before, when not sorted by priority.
    expect(namesOf((await as("agent").conversations.list({ teamId })).items)).toEqual(["v-low-new", "v-none-new", "v-urgent-new", "v-high", "v-urgent-old", "v-none-old"]);
  });

  it("pages by priority through equal times and conversations without a message", async () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const team = await database.db.team.create({ data: { tenantId: t.tenant.id, name: "Ties", nameKey: "ties" } });
    const contact = await database.db.contact.create({ data: { tenantId: t.tenant.id, name: "Tie" } });
    const made = [];
    for (const [i, data] of [{ priority: "high" as const, lastMessageAt: at }, { priority: "high" as const, lastMessageAt: at }, { priority: "high" as const, lastMessageAt: null }, { lastMessageAt: at }, { lastMessageAt: null }, { lastMessageAt: null }].entries()) {
      made.push(await database.db.conversation.create({ data: { tenantId: t.tenant.id, channelId: t.rows.channel.id, contactId: contact.id, externalChatId: `tie-${i}`, teamId: team.id, ...data } }));
    }
    const all = (await as("agent").conversations.list({ teamId: team.id, sort: "priority" })).items.map((item) => item.id);
    expect(new Set(all)).toEqual(new Set(made.map((row) => row.id)));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await as("agent").conversations.list({ teamId: team.id, sort: "priority", limit: 1, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it("refuses a newest-first cursor in the priority order, and a doctored cursor's priority, with BAD_REQUEST on cursor", async () => {
    const recent = await as("agent").conversations.list({ teamId, limit: 1 });
    expect(await refusal(as("agent").conversations.list({ teamId, sort: "priority", cursor: recent.nextCursor! }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { cursor: ["from the list in another order"] } });
    const cursor = Buffer.from(JSON.stringify({ at: null, id: crypto.randomUUID(), p: "critical" })).toString("base64url");
    expect(await refusal(as("agent").conversations.list({ sort: "priority", cursor }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { cursor: [expect.any(String)] } });
  });
});
