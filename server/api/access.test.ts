import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalFromHeaders } from "@/server/auth/principal";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { refusal } from "@/server/test/refusal";
import { callerFor } from "@/server/test/trpc";
import { appRouter } from "./root";
import { hashApiKey } from "@/server/services/api-keys/create-api-key";
import { INVITATION_TTL_MS } from "@/server/services/invitations/invite-member";
import { verifyPassword } from "@/server/security/password";
import { createRateLimiters } from "@/server/security/rate-limit";

let database: TestDatabase;
let t: TenantFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "acme");
});
afterAll(async () => {
  await database.drop();
});

const as = (role: "owner" | "admin" | "agent") => callerFor(database, t.as(role), { tenantSlug: "acme" });
const code = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
};

describe("the procedure ladder", () => {
  it("refuses anonymous callers with UNAUTHORIZED, and a dead API key with a message saying so", async () => {
    await expect(callerFor(database, null).members.list()).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "sign in or pass an API key" });
    await expect(callerFor(database, null, { invalidApiKey: true }).me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "invalid or revoked API key" });
  });

  it("lets any member read the workspace and its members", async () => {
    expect((await as("agent").workspace.get()).role).toBe("agent");
    expect((await as("agent").members.list()).members).toHaveLength(3);
  });

  it("lets any member and a conversations:read key list the teams, marking the caller's own", async () => {
    const forAgent = await as("agent").teams.list();
    expect(forAgent).toEqual([expect.objectContaining({ id: t.rows.team.id, mine: true, members: [{ id: t.users.agent.id, name: t.users.agent.name }] })]);
    expect((await as("owner").teams.list())[0]!.mine).toBe(false);
    expect((await callerFor(database, t.asKey(t.keys.read)).teams.list())[0]!.id).toBe(t.rows.team.id);
  });

  const adminOnly: [string, (caller: ReturnType<typeof as>) => Promise<unknown>][] = [
    ["apiKeys.create", (c) => c.apiKeys.create({ name: "x", scopes: ["contacts:read"] })],
    ["apiKeys.list", (c) => c.apiKeys.list()],
    ["apiKeys.revoke", (c) => c.apiKeys.revoke({ id: t.keys.read.apiKey.id })],
    ["members.invite", (c) => c.members.invite({ email: "new-agent@example.com", role: "agent" })],
    ["members.revokeInvitation", (c) => c.members.revokeInvitation({ id: t.rows.invitation.id })],
    ["members.updateRole", (c) => c.members.updateRole({ membershipId: t.memberships.agent.id, role: "agent" })],
    ["members.remove", (c) => c.members.remove({ membershipId: t.memberships.agent.id })],
    ["teams.create", (c) => c.teams.create({ name: "Second line" })],
    ["teams.update", (c) => c.teams.update({ id: t.rows.team.id, name: "Renamed" })],
    ["teams.delete", (c) => c.teams.delete({ id: t.rows.team.id })],
    ["teams.addMembers", (c) => c.teams.addMembers({ id: t.rows.team.id, userIds: [t.users.owner.id] })],
    ["teams.removeMember", (c) => c.teams.removeMember({ id: t.rows.team.id, userId: t.users.agent.id })],
    ["assignment.listPolicies", (c) => c.assignment.listPolicies()],
    ["assignment.getPolicy", (c) => c.assignment.getPolicy({ teamId: t.rows.team.id })],
    ["assignment.updatePolicy", (c) => c.assignment.updatePolicy({ teamId: t.rows.team.id, mode: "off", returnAfterMinutes: null })],
    ["assignment.setCapacity", (c) => c.assignment.setCapacity({ userId: t.users.agent.id, capacity: 99 })],
    ["auditLog.list", (c) => c.auditLog.list({})],
    ["settings.get", (c) => c.settings.get()],
    ["settings.update", (c) => c.settings.update({ changes: { timeZone: "Europe/Berlin" } })],
    ["settings.history", (c) => c.settings.history({ limit: 5 })],
    ["settings.storageUsage", (c) => c.settings.storageUsage()],
    ["channels.connectTelegram", (c) => c.channels.connectTelegram({ token: "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })],
    ["channels.disconnect", (c) => c.channels.disconnect({ id: t.rows.channel.id })],
    ["channels.setMode", (c) => c.channels.setMode({ id: t.rows.channel.id, mode: "webhook" })],
    ["channels.createWebWidget", (c) => c.channels.createWebWidget({ name: "Site", allowedOrigins: ["https://acme.example"], color: "#123456", position: "right" })],
    ["channels.updateWebWidget", (c) => c.channels.updateWebWidget({ id: t.rows.widgetChannel.id, greeting: "changed" })],
    ["channels.rotateWidgetSecret", (c) => c.channels.rotateWidgetSecret({ id: t.rows.widgetChannel.id })],
    ["templates.upsert", (c) => c.templates.upsert({ key: "new.one", kind: "canned", published: false, variants: [{ locale: "en", body: "Hi" }] })],
    ["templates.delete", (c) => c.templates.delete({ id: t.rows.template.id })],
    ["delivery.list", (c) => c.delivery.list({})],
    ["delivery.retry", (c) => c.delivery.retry({ messageId: t.rows.message.id })],
    ["delivery.discard", (c) => c.delivery.discard({ messageId: t.rows.message.id })],
    ["quarantine.list", (c) => c.quarantine.list({ channelId: t.rows.channel.id })],
    ["quarantine.retry", (c) => c.quarantine.retry({ id: t.rows.quarantinedUpdate.id })],
    ["quarantine.discard", (c) => c.quarantine.discard({ id: t.rows.quarantinedUpdate.id })],
  ];

  it("covers every procedure of the admin console's own routers", () => {
    const adminRouters = ["settings.", "delivery.", "quarantine.", "apiKeys.", "auditLog.", "teams.", "assignment."];
    const listed = new Set(adminOnly.map(([path]) => path));
    // teams.list and assignment.queue are for everyone (the inbox's team views, "move to team", the queue indicator): their access is tested below.
    const forEveryone = new Set(["teams.list", "assignment.queue"]);
    const missing = Object.keys(appRouter._def.procedures).filter((path) => adminRouters.some((prefix) => path.startsWith(prefix)) && !forEveryone.has(path) && !listed.has(path));
    expect(missing).toEqual([]);
  });

  it.each(adminOnly)("%s is FORBIDDEN to agents", async (_, run) => {
    expect(await code(run(as("agent")))).toBe("FORBIDDEN");
  });

  it.each(adminOnly)("%s is FORBIDDEN to an API key without the admin scope", async (_, run) => {
    expect(await code(run(callerFor(database, t.asKey(t.keys.read))))).toBe("FORBIDDEN");
  });

  it("workspace.delete is for owners only: FORBIDDEN to admins, agents and every API key", async () => {
    for (const caller of [as("admin"), as("agent"), callerFor(database, t.asKey(t.keys.full))]) {
      expect(await code(caller.workspace.delete({ confirmSlug: "acme" }))).toBe("FORBIDDEN");
    }
    expect(await database.db.tenant.count({ where: { slug: "acme" } })).toBe(1);
  });

  it("workspace.delete asks the owner to type the slug, then deletes everything of the workspace", async () => {
    const doomed = await createTenantFixture(database.db, "doomed");
    const owner = callerFor(database, doomed.as("owner"), { tenantSlug: "doomed" });
    await expect(owner.workspace.delete({ confirmSlug: "acme" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await owner.workspace.delete({ confirmSlug: "doomed" })).toEqual({ deleted: "doomed" });
    expect(await database.db.message.count({ where: { tenantId: doomed.tenant.id } })).toBe(0);
    expect(await database.db.tenant.count({ where: { slug: "acme" } })).toBe(1);
  });

  it("rolls back everything a procedure wrote when it fails half-way", async () => {
    // Inviting an existing member fails after nothing was written; inviting with an admin role as admin succeeds.
    const before = await database.db.invitation.count();
    await expect(as("admin").members.invite({ email: t.users.agent.email, role: "agent" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await database.db.invitation.count()).toBe(before);
  });
});

describe("what each procedure needs", () => {
  it("every procedure of appRouter declares its access (public, signed-in, workspace or API scopes)", () => {
    const undeclared = Object.entries(appRouter._def.procedures)
      .filter(([, procedure]) => !(procedure as unknown as { _def: { meta?: { access?: unknown } } })._def.meta?.access)
      .map(([path]) => path);
    expect(undeclared).toEqual([]);
  });

  it("channels.get needs conversations:read, like channels.list: agents and a read key see a widget's snippet, never its secret", async () => {
    for (const caller of [as("agent"), callerFor(database, t.asKey(t.keys.read))]) {
      const channel = await caller.channels.get({ id: t.rows.widgetChannel.id });
      expect(channel.details).toMatchObject({ kind: "web_widget", publicId: t.rows.webWidget.publicId, snippet: expect.stringContaining(t.rows.webWidget.publicId) });
      expect(JSON.stringify(channel)).not.toContain(t.rows.webWidget.secretCiphertext);
    }
    const keyWithoutRead = await as("admin").apiKeys.create({ name: "writer only", scopes: ["messages:write"] });
    const writer = callerFor(database, { kind: "apiKey", apiKeyId: keyWithoutRead.id, tenantId: t.tenant.id, scopes: ["messages:write"] });
    expect(await code(writer.channels.get({ id: t.rows.widgetChannel.id }))).toBe("FORBIDDEN");
  });

  it("contact fields need contacts:read: a key with only conversations:read cannot list or open conversations", async () => {
    const reader = callerFor(database, t.asKey(t.keys.read));
    await expect(reader.conversations.list({})).rejects.toMatchObject({ code: "FORBIDDEN", message: "this API key lacks the contacts:read scope" });
    await expect(reader.conversations.get({ id: t.rows.conversation.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(database, t.asKey(t.keys.full)).conversations.get({ id: t.rows.conversation.id })).resolves.toMatchObject({ contact: { name: t.rows.contact.name } });
    // A change answers with the conversation and its contact too: a key that may only write cannot read through it.
    const writer = await as("admin").apiKeys.create({ name: "writer only", scopes: ["conversations:write"] });
    const writerKey = callerFor(database, (await principalFromHeaders(database.db, new Headers({ authorization: `Bearer ${writer.key}` }))).principal);
    await expect(writerKey.conversations.update({ id: t.rows.conversation.id })).rejects.toMatchObject({ code: "FORBIDDEN", message: "this API key lacks the conversations:read scope" });
    await expect(writerKey.conversations.markRead({ id: t.rows.conversation.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("private notes need notes:read: messages.list leaves them out for a key without it, as realtime does", async () => {
    const note = await as("agent").messages.send({ conversationId: t.rows.conversation.id, text: "internal: refund approved", isPrivate: true });
    const ids = async (caller: ReturnType<typeof callerFor>) => (await caller.messages.list({ conversationId: t.rows.conversation.id })).messages.map((m) => m.id);
    expect(await ids(callerFor(database, t.asKey(t.keys.read)))).not.toContain(note.id);
    expect(await ids(callerFor(database, t.asKey(t.keys.full)))).not.toContain(note.id);
    const notesKey = await as("admin").apiKeys.create({ name: "notes", scopes: ["conversations:read", "notes:read"] });
    const principal = (await principalFromHeaders(database.db, new Headers({ authorization: `Bearer ${notesKey.key}` }))).principal;
    expect(await ids(callerFor(database, principal))).toContain(note.id);
    expect(await ids(as("agent"))).toContain(note.id);
  });
});

describe("reports", () => {
  const day = "2026-01-01";
  const filter = { from: day, to: day };
  const procedures: [string, (caller: ReturnType<typeof callerFor>) => Promise<unknown>][] = [
    ["reports.overview", (c) => c.reports.overview()],
    ["reports.summary", (c) => c.reports.summary(filter)],
    ["reports.timeseries", (c) => c.reports.timeseries({ filter, groupBy: "week" })],
    ["reports.breakdown", (c) => c.reports.breakdown({ filter, by: "label" })],
    ["reports.agents", (c) => c.reports.agents(filter)],
    ["reports.teams", (c) => c.reports.teams(filter)],
    ["reports.conversations", (c) => c.reports.conversations({ filter, metric: "first_response" })],
  ];

  it("covers every procedure of the reports router", () => {
    const listed = new Set(procedures.map(([path]) => path));
    expect(Object.keys(appRouter._def.procedures).filter((path) => path.startsWith("reports.") && !listed.has(path))).toEqual([]);
  });

  it.each(procedures)("%s: every member (an agent their own figures) and a key with the admin scope; not a key without it, nobody signed out", async (_, run) => {
    for (const role of ["agent", "admin", "owner"] as const) await run(as(role));
    await run(callerFor(database, t.asKey(t.keys.full)));
    expect(await code(run(callerFor(database, t.asKey(t.keys.read))))).toBe("FORBIDDEN");
    expect(await code(run(callerFor(database, null)))).toBe("UNAUTHORIZED");
  });

  it("refuses an agent another agent's figures, and a range it cannot read, with the field named", async () => {
    expect(await code(as("agent").reports.summary({ ...filter, agentId: t.users.admin.id }))).toBe("FORBIDDEN");
    await as("agent").reports.summary({ ...filter, agentId: t.users.agent.id });
    const range = (from: string, to: string) => refusal(as("owner").reports.summary({ from, to }));
    expect(await range("2026-02-01", "2026-01-01")).toEqual({ code: "BAD_REQUEST", fieldErrors: { to: ["must not be before from"] } });
    expect(await range("2025-01-01", "2026-01-03")).toEqual({ code: "BAD_REQUEST", fieldErrors: { to: ["at most 366 days after from"] } });
    expect(await range("2026-02-30", "2026-03-01")).toEqual({ code: "BAD_REQUEST", fieldErrors: { from: ["not a date"] } });
  });
});

describe("notifications and participants", () => {
  const personal: [string, (caller: ReturnType<typeof callerFor>) => Promise<unknown>][] = [
    ["notifications.list", (c) => c.notifications.list()],
    ["notifications.unreadCount", (c) => c.notifications.unreadCount()],
    ["notifications.markRead", (c) => c.notifications.markRead({ ids: [t.rows.notification.id] })],
    ["notifications.markAllRead", (c) => c.notifications.markAllRead()],
    ["notifications.getPreferences", (c) => c.notifications.getPreferences()],
    ["notifications.updatePreferences", (c) => c.notifications.updatePreferences({ previews: false })],
    ["notifications.pushStatus", (c) => c.notifications.pushStatus()],
    ["notifications.subscribePush", (c) => c.notifications.subscribePush({ endpoint: "https://push.example.com/key", keys: { p256dh: "B".repeat(87), auth: "C".repeat(22) } })],
    ["notifications.unsubscribePush", (c) => c.notifications.unsubscribePush({ endpoint: "https://push.example.com/key" })],
  ];

  it("covers every procedure of the notifications router", () => {
    const listed = new Set(personal.map(([path]) => path));
    expect(Object.keys(appRouter._def.procedures).filter((path) => path.startsWith("notifications.") && !listed.has(path))).toEqual([]);
  });

  it.each(personal)("%s is every member's own, and no API key's", async (_, run) => {
    for (const role of ["agent", "admin", "owner"] as const) await run(as(role));
    for (const key of [t.keys.read, t.keys.full]) expect(await code(run(callerFor(database, t.asKey(key))))).toBe("FORBIDDEN");
    expect(await code(run(callerFor(database, null)))).toBe("UNAUTHORIZED");
  });

  it("lets members and a key with conversations:write manage participants, a read-only key only list them", async () => {
    expect(await as("agent").conversations.addParticipant({ id: t.rows.conversation.id, userId: t.users.owner.id })).toEqual(expect.arrayContaining([expect.objectContaining({ userId: t.users.owner.id, reason: "added" })]));
    expect(await callerFor(database, t.asKey(t.keys.read)).conversations.participants({ id: t.rows.conversation.id })).toEqual(expect.arrayContaining([expect.objectContaining({ userId: t.users.owner.id })]));
    expect(await code(callerFor(database, t.asKey(t.keys.read)).conversations.removeParticipant({ id: t.rows.conversation.id, userId: t.users.owner.id }))).toBe("FORBIDDEN");
    expect(await callerFor(database, t.asKey(t.keys.full)).conversations.removeParticipant({ id: t.rows.conversation.id, userId: t.users.owner.id })).not.toEqual(expect.arrayContaining([expect.objectContaining({ userId: t.users.owner.id })]));
  });
});

describe("availability and the queue", () => {
  it("lets any member set their own availability in the workspace, and refuses an API key, which has none", async () => {
    expect(await as("agent").me.setAvailability({ status: "busy" })).toMatchObject({ status: "busy" });
    expect((await as("owner").members.list()).members.find((member) => member.user.id === t.users.agent.id)).toMatchObject({ availability: "busy", capacity: null });
    for (const key of [t.keys.read, t.keys.full]) expect(await code(callerFor(database, t.asKey(key)).me.setAvailability({ status: "online" }))).toBe("FORBIDDEN");
    expect(await code(callerFor(database, null).me.setAvailability({ status: "online" }))).toBe("UNAUTHORIZED");
    await as("agent").me.setAvailability({ status: "offline" });
  });

  it("lets any member and a conversations:read key see the queue, and refuses a key without it", async () => {
    expect(await as("agent").assignment.queue()).toMatchObject({ waiting: expect.any(Number) });
    expect(await callerFor(database, t.asKey(t.keys.read)).assignment.queue()).toMatchObject({ waiting: expect.any(Number) });
    const writer = await as("admin").apiKeys.create({ name: "no read", scopes: ["messages:write"] });
    expect(await code(callerFor(database, { kind: "apiKey", apiKeyId: writer.id, tenantId: t.tenant.id, scopes: ["messages:write"] }).assignment.queue())).toBe("FORBIDDEN");
  });

  it("lets admins and owners edit policies and capacity", async () => {
    expect(await as("admin").assignment.setCapacity({ userId: t.users.agent.id, capacity: 4 })).toEqual({ userId: t.users.agent.id, capacity: 4 });
    expect(await as("owner").assignment.updatePolicy({ teamId: t.rows.team.id, mode: "balanced", returnAfterMinutes: 10 })).toMatchObject({ mode: "balanced", returnAfterMinutes: 10 });
    expect(await callerFor(database, t.asKey(t.keys.full)).assignment.getPolicy({ teamId: t.rows.team.id })).toMatchObject({ mode: "balanced" });
  });
});

describe("the account (sessions and password)", () => {
  const accountProcedures: [string, (caller: ReturnType<typeof callerFor>) => Promise<unknown>][] = [
    ["account.sessions", (c) => c.account.sessions()],
    ["account.revokeSession", (c) => c.account.revokeSession({ id: t.sessions.agent.id })],
    ["account.revokeOtherSessions", (c) => c.account.revokeOtherSessions()],
    ["account.changePassword", (c) => c.account.changePassword({ currentPassword: "whatever it is", newPassword: "a new password, long enough" })],
  ];

  it("covers every procedure of the account router, each declared signed-in", () => {
    const listed = new Set(accountProcedures.map(([path]) => path));
    const procedures = Object.entries(appRouter._def.procedures).filter(([path]) => path.startsWith("account."));
    expect(procedures.map(([path]) => path).filter((path) => !listed.has(path))).toEqual([]);
    for (const [, procedure] of procedures) expect((procedure as unknown as { _def: { meta?: { access?: unknown } } })._def.meta?.access).toBe("signed-in");
  });

  it.each(accountProcedures)("%s is FORBIDDEN to every API key, whatever its scopes, and needs no workspace", async (_, run) => {
    for (const key of [t.keys.read, t.keys.full]) expect(await code(run(callerFor(database, t.asKey(key))))).toBe("FORBIDDEN");
    expect(await code(run(callerFor(database, null)))).toBe("UNAUTHORIZED");
    expect(await database.db.session.count({ where: { id: t.sessions.agent.id, revokedAt: null } })).toBe(1);
  });

  it("is any signed-in person's own, in a workspace or none", async () => {
    const caller = callerFor(database, t.as("agent"));
    expect((await caller.account.sessions()).map((session) => session.id)).toEqual([t.sessions.agent.id]);
  });
});

describe("the edge", () => {
  it("refuses NUL and unpaired surrogates anywhere in the input with BAD_REQUEST naming the field", async () => {
    for (const bad of ["a\u0000b", "x\uD800y"]) {
      const error = await as("admin").templates.upsert({ key: "edge.nul", kind: "canned", published: false, variants: [{ locale: "en", body: bad }] }).catch((e: unknown) => e as TRPCError);
      expect(error).toMatchObject({ code: "BAD_REQUEST" });
      expect((error as TRPCError).message).toContain("variants.0.body");
    }
    await expect(as("agent").conversations.update({ id: t.rows.conversation.id, labels: ["ok", "b\u0000d"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as("agent").messages.send({ conversationId: t.rows.conversation.id, text: "\u0000" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses a signed-in change from another site's page, and takes one from this site or with the client's own header", async () => {
    const from = (headers: Record<string, string>) => callerFor(database, t.as("agent"), { tenantSlug: "acme", headers: { host: "support.example", ...headers } });
    const markRead = (caller: ReturnType<typeof from>) => code(caller.conversations.markRead({ id: t.rows.conversation.id }));
    expect(await markRead(from({ origin: "https://evil.example" }))).toBe("FORBIDDEN");
    expect(await markRead(from({ origin: "null" }))).toBe("FORBIDDEN");
    expect(await markRead(from({}))).toBe("FORBIDDEN");
    expect(await markRead(from({ origin: "https://support.example" }))).toBe("OK");
    expect(await markRead(from({ "x-requested-with": "support-chat" }))).toBe("OK");
    // Reads are not changes; and an API key is not a cookie a browser sends by itself.
    expect(await code(from({ origin: "https://evil.example" }).workspace.get())).toBe("OK");
  });
});

describe("API keys", () => {
  it("are shown once, stored as a hash, listed without the secret, and refused on the next request once revoked", async () => {
    const created = await as("admin").apiKeys.create({ name: "CRM sync", scopes: ["contacts:read", "conversations:read"] });
    expect(created.key).toMatch(/^sck_[\w-]{8}_[\w-]{43}$/);
    const stored = await database.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.keyHash).toBe(hashApiKey(created.key));
    expect(stored.keyHash).not.toContain(created.key.slice(13));

    const listed = await as("admin").apiKeys.list();
    const row = listed.find((key) => key.id === created.id)!;
    expect(row).toMatchObject({ name: "CRM sync", prefix: created.prefix, scopes: ["contacts:read", "conversations:read"], lastUsedAt: null, revokedAt: null });
    expect(row.createdBy?.id).toBe(t.users.admin.id);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(JSON.stringify(listed)).not.toContain(stored.keyHash);

    const headers = new Headers({ authorization: `Bearer ${created.key}` });
    const principal = await principalFromHeaders(database.db, headers);
    expect(principal).toEqual({ invalidApiKey: false, principal: { kind: "apiKey", apiKeyId: created.id, tenantId: t.tenant.id, scopes: ["contacts:read", "conversations:read"] } });
    expect((await database.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toBeInstanceOf(Date);
    const me = await callerFor(database, principal.principal).me.get();
    expect(me).toMatchObject({ kind: "apiKey", tenant: { slug: "acme" } });

    await as("admin").apiKeys.revoke({ id: created.id });
    expect(await principalFromHeaders(database.db, headers)).toEqual({ principal: null, invalidApiKey: true });
  });

  it("refuses a well-formed key that was never issued, and anything that is not a key", async () => {
    for (const value of ["Bearer sck_AAAAAAAA_" + "A".repeat(43), "Bearer nonsense", "Basic dXNlcjpwYXNz"]) {
      expect(await principalFromHeaders(database.db, new Headers({ authorization: value }))).toEqual({ principal: null, invalidApiKey: true });
    }
  });

  it("validates names and scopes", async () => {
    await expect(as("admin").apiKeys.create({ name: "", scopes: ["admin"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as("admin").apiKeys.create({ name: "x", scopes: [] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as("admin").apiKeys.create({ name: "x", scopes: ["root" as never] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await refusal(as("admin").apiKeys.create({ name: "x", scopes: Array.from({ length: 100_000 }, () => "admin" as const) }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { scopes: [expect.any(String)] } });
    expect(await refusal(as("admin").apiKeys.create({ name: "x".repeat(100_001), scopes: ["admin"] }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { name: [expect.any(String)] } });
  });

  it("are limited per key: past the limit the key gets TOO_MANY_REQUESTS with a retry time", async () => {
    const team = await createTenantFixture(database.db, "busy");
    const limiters = createRateLimiters({ databaseUrl: database.url }, { apiKey: { points: 3, durationSeconds: 60 } });
    try {
      const caller = callerFor(database, team.asKey(team.keys.full), { limiters });
      for (let i = 0; i < 3; i++) await caller.workspace.get();
      const error = await caller.workspace.get().catch((e: unknown) => e as TRPCError);
      expect(error).toMatchObject({ code: "TOO_MANY_REQUESTS" });
      expect((error as TRPCError).message).toMatch(/^this API key made too many requests; try again in \d+ s$/);
      // Another key is unaffected.
      await expect(callerFor(database, team.asKey(team.keys.read), { limiters }).members.list()).resolves.toBeDefined();
    } finally {
      await limiters.close();
    }
  });
});

describe("members", () => {
  it("the last owner can be neither demoted nor removed, by anyone", async () => {
    const owner = as("owner");
    await expect(owner.members.updateRole({ membershipId: t.memberships.owner.id, role: "admin" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "the last owner cannot be demoted; make another member owner first",
    });
    await expect(owner.members.remove({ membershipId: t.memberships.owner.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await database.db.membership.findUniqueOrThrow({ where: { id: t.memberships.owner.id } })).role).toBe("owner");
  });

  it("admins manage agents and admins but cannot touch owners or make one", async () => {
    const admin = as("admin");
    await expect(admin.members.updateRole({ membershipId: t.memberships.owner.id, role: "agent" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.members.updateRole({ membershipId: t.memberships.agent.id, role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.members.invite({ email: "boss@example.com", role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await admin.members.updateRole({ membershipId: t.memberships.agent.id, role: "admin" })).toMatchObject({ role: "admin" });
    await admin.members.updateRole({ membershipId: t.memberships.agent.id, role: "agent" });
  });

  it("an owner can hand over ownership, after which the former owner can be demoted", async () => {
    const team = await createTenantFixture(database.db, "handover");
    const owner = callerFor(database, team.as("owner"), { tenantSlug: "handover" });
    await owner.members.updateRole({ membershipId: team.memberships.admin.id, role: "owner" });
    await owner.members.updateRole({ membershipId: team.memberships.owner.id, role: "admin" });
    const roles = await database.db.membership.findMany({ where: { tenantId: team.tenant.id }, select: { id: true, role: true } });
    expect(roles.find((m) => m.id === team.memberships.admin.id)?.role).toBe("owner");
  });

  it("two owners demoting each other at once leave one owner, never none", async () => {
    const team = await createTenantFixture(database.db, "duel");
    await database.db.membership.update({ where: { id: team.memberships.admin.id }, data: { role: "owner" } });
    const first = callerFor(database, team.as("owner"), { tenantSlug: "duel" });
    const second = callerFor(database, team.as("admin"), { tenantSlug: "duel" });
    const results = await Promise.allSettled([
      first.members.updateRole({ membershipId: team.memberships.admin.id, role: "agent" }),
      second.members.updateRole({ membershipId: team.memberships.owner.id, role: "agent" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await database.db.membership.count({ where: { tenantId: team.tenant.id, role: "owner" } })).toBe(1);
  });

  it("removing a member revokes their access on their very next request", async () => {
    const team = await createTenantFixture(database.db, "leavers");
    const agent = callerFor(database, team.as("agent"), { tenantSlug: "leavers" });
    await agent.workspace.get();
    await callerFor(database, team.as("admin"), { tenantSlug: "leavers" }).members.remove({ membershipId: team.memberships.agent.id });
    await expect(agent.workspace.get()).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("invitations", () => {
  it("without SMTP the admin gets the link; the invitee sets a password and joins, once", async () => {
    const invited = await as("admin").members.invite({ email: "New.Agent@Example.com", role: "agent" });
    expect(invited).toMatchObject({ emailed: false, invitation: { email: "new.agent@example.com", role: "agent" } });
    const token = new URL(invited.url!).pathname.split("/").pop()!;
    expect(invited.url).toMatch(/^http:\/\/localhost:\d+\/invite\/[\w-]{43}$/);

    const anonymous = callerFor(database, null);
    expect(await anonymous.invitations.get({ token })).toMatchObject({ state: "pending", problem: null, signedInAs: null, tenant: { slug: "acme" } });
    await expect(anonymous.invitations.accept({ token })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(anonymous.invitations.accept({ token, name: "New Agent", password: "short" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await anonymous.invitations.accept({ token, name: "New Agent", password: "a long enough password" })).toEqual({
      tenant: { slug: "acme", name: "Tenant acme" },
      email: "new.agent@example.com",
      alreadyMember: false,
      signedIn: false,
    });
    const user = await database.db.user.findUniqueOrThrow({ where: { email: "new.agent@example.com" }, include: { memberships: true } });
    expect(user.memberships).toEqual([expect.objectContaining({ tenantId: t.tenant.id, role: "agent" })]);
    expect(await verifyPassword(user.passwordHash!, "a long enough password")).toBe(true);

    await expect(anonymous.invitations.accept({ token, name: "Again", password: "a long enough password" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "this invitation has already been used; sign in instead",
    });
    expect((await anonymous.invitations.get({ token })).state).toBe("accepted");
  });

  it("expires after seven days", async () => {
    const invited = await as("admin").members.invite({ email: "late@example.com", role: "agent" });
    const token = invited.url!.split("/").pop()!;
    const row = await database.db.invitation.findFirstOrThrow({ where: { email: "late@example.com", revokedAt: null } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThanOrEqual(INVITATION_TTL_MS - 5000);
    await database.db.invitation.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const anonymous = callerFor(database, null);
    expect((await anonymous.invitations.get({ token })).problem).toBe("this invitation has expired; ask your admin for a new one");
    await expect(anonymous.invitations.accept({ token, name: "Late", password: "a long enough password" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await database.db.user.count({ where: { email: "late@example.com" } })).toBe(0);
  });

  it("a new invitation replaces the pending one, and a withdrawn one no longer works", async () => {
    const first = await as("admin").members.invite({ email: "twice@example.com", role: "agent" });
    const second = await as("admin").members.invite({ email: "twice@example.com", role: "admin" });
    const anonymous = callerFor(database, null);
    expect((await anonymous.invitations.get({ token: first.url!.split("/").pop()! })).state).toBe("revoked");
    await as("admin").members.revokeInvitation({ id: second.invitation.id });
    expect((await anonymous.invitations.get({ token: second.url!.split("/").pop()! })).state).toBe("revoked");
  });

  it("an existing account joins only when signed in as itself: nobody accepts for someone else's account", async () => {
    const other = await createTenantFixture(database.db, "other");
    const invitee = other.users.owner;
    const invited = await as("owner").members.invite({ email: invitee.email, role: "agent" });
    const token = invited.url!.split("/").pop()!;
    const memberships = () => database.db.membership.count({ where: { userId: invitee.id } });

    // Signed out, with or without a password of one's choosing: refused, nothing joined, the link still usable.
    const anonymous = callerFor(database, null);
    for (const attempt of [{ token }, { token, name: "Mallory", password: "mallory-chosen-password" }]) {
      const error = await anonymous.invitations.accept(attempt).catch((e: unknown) => e as TRPCError);
      expect(error).toMatchObject({ code: "CONFLICT" });
    }
    // As another account (the admin who invited, say): refused.
    await expect(as("owner").invitations.accept({ token })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // As the invitee, but from another site's page (the cookie rides along): refused.
    const crossSite = callerFor(database, other.as("owner"), { headers: { origin: "https://evil.example" } });
    await expect(crossSite.invitations.accept({ token })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await memberships()).toBe(1);
    expect((await anonymous.invitations.get({ token })).state).toBe("pending");

    // As the invitee, on this site: joins, keeping the password.
    const passwordBefore = (await database.db.user.findUniqueOrThrow({ where: { id: invitee.id } })).passwordHash;
    const me = callerFor(database, other.as("owner"));
    expect((await me.invitations.get({ token })).signedInAs).toEqual({ email: invitee.email, isInvitee: true });
    expect(await me.invitations.accept({ token })).toMatchObject({ tenant: { slug: "acme" }, signedIn: true, alreadyMember: false });
    expect(await memberships()).toBe(2);
    expect((await database.db.user.findUniqueOrThrow({ where: { id: invitee.id } })).passwordHash).toBe(passwordBefore);
  });

  it("invitations.get says nothing about whether the invited address has an account", async () => {
    const other = await createTenantFixture(database.db, "someone");
    const anonymous = callerFor(database, null);
    const shapeOf = async (email: string) => {
      const invited = await as("admin").members.invite({ email, role: "agent" });
      const answer = await anonymous.invitations.get({ token: invited.url!.split("/").pop()! });
      return Object.fromEntries(Object.entries(answer).filter(([key]) => !["email", "expiresAt"].includes(key)));
    };
    expect(await shapeOf(other.users.agent.email)).toEqual(await shapeOf("nobody-yet@example.com"));
  });

  it("inviting someone who is already a member is refused, saying so", async () => {
    await expect(as("admin").members.invite({ email: t.users.agent.email, role: "agent" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `${t.users.agent.email} is already a member of this workspace`,
    });
  });
});

describe("audit log", () => {
  it("records key, member and invitation actions with actor, time and request id, readable by admins only", async () => {
    const team = await createTenantFixture(database.db, "audited");
    const admin = callerFor(database, team.as("admin"), { tenantSlug: "audited" });
    const key = await admin.apiKeys.create({ name: "audited key", scopes: ["contacts:read"] });
    await admin.apiKeys.revoke({ id: key.id });
    await admin.members.updateRole({ membershipId: team.memberships.agent.id, role: "admin" });
    await admin.members.invite({ email: "audit-invitee@example.com", role: "agent" });
    await admin.members.remove({ membershipId: team.memberships.agent.id });

    const { items } = await admin.auditLog.list({ limit: 100 });
    const actions = items.map((item) => item.action);
    expect(actions).toEqual(expect.arrayContaining(["api_key.created", "api_key.revoked", "member.role_changed", "member.invited", "member.removed"]));
    const changed = items.find((item) => item.action === "member.role_changed")!;
    expect(changed).toMatchObject({ tenantId: team.tenant.id, actorUserId: team.users.admin.id, ip: "203.0.113.7", metadata: { from: "agent", to: "admin" } });
    expect(changed.requestId).toMatch(/^test-/);
    expect(changed.actor).toMatchObject({ email: team.users.admin.email });
    expect(changed.createdAt).toBeInstanceOf(Date);

    const filtered = await admin.auditLog.list({ action: "api_key.revoked", limit: 10 });
    expect(filtered.items.map((item) => item.action)).toEqual(["api_key.revoked"]);
    const page = await admin.auditLog.list({ limit: 2 });
    expect(page.items).toHaveLength(2);
    const next = await admin.auditLog.list({ limit: 2, cursor: page.nextCursor! });
    expect(next.items[0]!.id).not.toBe(page.items[0]!.id);
  });

  it("refuses from/to outside 2000–2100 with BAD_REQUEST naming the field, never a server error", async () => {
    const admin = as("admin");
    const farOut = [new Date("0000-01-01T00:00:00.000Z"), new Date(-8.64e15), new Date(8.64e15), new Date("1999-12-31T23:59:59.999Z"), new Date("+010000-01-01T00:00:00.000Z")];
    for (const date of farOut) {
      expect(await refusal(admin.auditLog.list({ from: date })), date.toISOString()).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { from: [expect.any(String)] } });
      expect(await refusal(admin.auditLog.list({ to: date })), date.toISOString()).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { to: [expect.any(String)] } });
    }
    expect((await admin.auditLog.list({ from: new Date("2000-01-01T00:00:00.000Z"), to: new Date("2100-01-01T00:00:00.000Z") })).items.length).toBeGreaterThan(0);
  });
});
