import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/server/auth/principal";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { snapshotOfTenant } from "@/server/test/tenant-snapshot";
import { callerFor } from "@/server/test/trpc";
import { widgetBrowser, widgetDepsFor, type WidgetAnswer } from "@/server/test/widget";
import { readdirSync } from "node:fs";
import path from "node:path";
import { createRateLimiters } from "@/server/security/rate-limit";
import type { SessionAnswer, UploadAnswer, VisitorMessage } from "@/lib/widget/protocol";
import { tinyJpeg } from "@/server/test/sample-files";
import { appRouter } from "./root";

/**
 * Tenant B attacks tenant A through every procedure of the API. The procedures
 * are enumerated from the router, so a new procedure without an attack below
 * fails the suite until someone writes one.
 *
 * - "foreign id": the input names one of A's rows; the answer must be NOT_FOUND
 *   or FORBIDDEN.
 * - "own tenant": the input has no id to aim with (lists, creates); whatever the
 *   answer, it must contain nothing of A's.
 * - "capability": the input is a secret token, not an id (invitation links);
 *   an unknown token must be NOT_FOUND.
 * In every case A's data must be exactly as before.
 */

type Attack =
  | { kind: "foreign id"; input: (a: TenantFixture) => unknown }
  | { kind: "own tenant"; input: (a: TenantFixture) => unknown }
  | { kind: "capability"; input: () => unknown };

const randomToken = () => randomBytes(32).toString("base64url");

/** A report's filter over the days around the fixtures' facts, aimed at A's channel, team and agent. */
const reportFilterAt = (a: TenantFixture) => {
  const day = a.rows.reportFact.day.toISOString().slice(0, 10);
  return { from: day, to: day, channelId: a.rows.channel.id, teamId: a.rows.team.id, agentId: a.users.agent.id };
};

const attacks: Record<string, Attack> = {
  "health.check": { kind: "own tenant", input: () => undefined },
  "me.get": { kind: "own tenant", input: () => undefined },
  "workspace.get": { kind: "own tenant", input: () => undefined },
  "workspace.delete": { kind: "own tenant", input: (a) => ({ confirmSlug: a.tenant.slug }) },
  "members.list": { kind: "own tenant", input: () => undefined },
  "members.invite": { kind: "own tenant", input: (a) => ({ email: a.users.agent.email, role: "agent" }) },
  "members.revokeInvitation": { kind: "foreign id", input: (a) => ({ id: a.rows.invitation.id }) },
  "members.updateRole": { kind: "foreign id", input: (a) => ({ membershipId: a.memberships.agent.id, role: "admin" }) },
  "members.remove": { kind: "foreign id", input: (a) => ({ membershipId: a.memberships.agent.id }) },
  "teams.list": { kind: "own tenant", input: () => undefined },
  // A's name is free in B; A's people are nobody in B, so this is refused, and nothing of A's changes.
  "teams.create": { kind: "own tenant", input: (a) => ({ name: a.rows.team.name, userIds: [a.users.agent.id] }) },
  "teams.update": { kind: "foreign id", input: (a) => ({ id: a.rows.team.id, name: "pwned", description: "pwned" }) },
  "teams.delete": { kind: "foreign id", input: (a) => ({ id: a.rows.team.id }) },
  "teams.addMembers": { kind: "foreign id", input: (a) => ({ id: a.rows.team.id, userIds: [a.users.owner.id] }) },
  "teams.removeMember": { kind: "foreign id", input: (a) => ({ id: a.rows.team.id, userId: a.users.agent.id }) },
  "invitations.get": { kind: "capability", input: () => ({ token: randomToken() }) },
  "invitations.accept": { kind: "capability", input: () => ({ token: randomToken(), name: "Mallory", password: "mallory-password" }) },
  "apiKeys.create": { kind: "own tenant", input: () => ({ name: "attacker", scopes: ["admin"] }) },
  "apiKeys.list": { kind: "own tenant", input: () => undefined },
  "apiKeys.revoke": { kind: "foreign id", input: (a) => ({ id: a.keys.full.apiKey.id }) },
  "channels.list": { kind: "own tenant", input: () => undefined },
  "channels.connectTelegram": { kind: "own tenant", input: () => ({ token: "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }) },
  "channels.disconnect": { kind: "foreign id", input: (a) => ({ id: a.rows.channel.id }) },
  "channels.get": { kind: "foreign id", input: (a) => ({ id: a.rows.widgetChannel.id }) },
  "channels.createWebWidget": { kind: "own tenant", input: (a) => ({ name: "attacker", allowedOrigins: [a.rows.webWidget.allowedOrigins[0]], color: "#000000", position: "left" }) },
  "channels.updateWebWidget": { kind: "foreign id", input: (a) => ({ id: a.rows.widgetChannel.id, allowedOrigins: ["https://attacker.example"], requireIdentity: false }) },
  "channels.rotateWidgetSecret": { kind: "foreign id", input: (a) => ({ id: a.rows.widgetChannel.id }) },
  "conversations.list": { kind: "own tenant", input: () => ({ view: "all", status: "open", search: "secret" }) },
  "conversations.get": { kind: "foreign id", input: (a) => ({ id: a.rows.conversation.id }) },
  "conversations.assignments": { kind: "foreign id", input: (a) => ({ id: a.rows.conversation.id }) },
  "conversations.update": { kind: "foreign id", input: (a) => ({ id: a.rows.conversation.id, status: "resolved", labels: ["pwned"] }) },
  "conversations.markRead": { kind: "foreign id", input: (a) => ({ id: a.rows.conversation.id }) },
  "messages.list": { kind: "foreign id", input: (a) => ({ conversationId: a.rows.conversation.id }) },
  "messages.send": { kind: "foreign id", input: (a) => ({ conversationId: a.rows.conversation.id, text: "injected" }) },
  "messages.typing": { kind: "foreign id", input: (a) => ({ conversationId: a.rows.conversation.id }) },
  "messages.retry": { kind: "foreign id", input: (a) => ({ messageId: a.rows.message.id }) },
  "auditLog.list": { kind: "own tenant", input: (a) => ({ actorUserId: a.users.owner.id, cursor: a.rows.audit.id }) },
  "realtime.token": { kind: "own tenant", input: () => undefined },
  "settings.get": { kind: "own tenant", input: () => undefined },
  "settings.update": { kind: "own tenant", input: () => ({ changes: { timeZone: "Europe/Berlin" } }) },
  "settings.history": { kind: "own tenant", input: () => ({ limit: 10 }) },
  "settings.storageUsage": { kind: "own tenant", input: () => undefined },
  "templates.list": { kind: "own tenant", input: () => ({ search: "Hello" }) },
  "templates.get": { kind: "foreign id", input: (a) => ({ id: a.rows.template.id }) },
  "templates.upsert": { kind: "foreign id", input: (a) => ({ id: a.rows.template.id, key: "greeting", kind: "public", published: true, variants: [{ locale: "en", body: "Pwned" }] }) },
  "templates.delete": { kind: "foreign id", input: (a) => ({ id: a.rows.template.id }) },
  "templates.preview": { kind: "foreign id", input: (a) => ({ id: a.rows.template.id, locale: "en", variables: {} }) },
  "channels.setMode": { kind: "foreign id", input: (a) => ({ id: a.rows.channel.id, mode: "webhook" }) },
  "me.setLocale": { kind: "own tenant", input: () => ({ locale: "ru" }) },
  "me.setAvailability": { kind: "own tenant", input: () => ({ status: "online" }) },
  // A cursor of A's is no notification of B's: refused as a bad cursor, naming nothing of A's.
  // Reports aimed at A's channel, team and agent: B's figures only, nothing of A's.
  "reports.overview": { kind: "own tenant", input: () => undefined },
  "reports.summary": { kind: "own tenant", input: (a) => reportFilterAt(a) },
  "reports.timeseries": { kind: "own tenant", input: (a) => ({ filter: reportFilterAt(a), groupBy: "week" }) },
  "reports.breakdown": { kind: "own tenant", input: (a) => ({ filter: { from: reportFilterAt(a).from, to: reportFilterAt(a).to }, by: "channel" }) },
  "reports.agents": { kind: "own tenant", input: (a) => reportFilterAt(a) },
  "reports.teams": { kind: "own tenant", input: (a) => ({ from: reportFilterAt(a).from, to: reportFilterAt(a).to }) },
  // Over the same days without A's ids: B's own facts come back, and none of A's with them.
  "reports.conversations": { kind: "own tenant", input: (a) => ({ filter: { from: reportFilterAt(a).from, to: reportFilterAt(a).to }, metric: "incoming" }) },
  "notifications.list": { kind: "own tenant", input: (a) => ({ cursor: a.rows.notification.id }) },
  "notifications.unreadCount": { kind: "own tenant", input: () => undefined },
  // A's entry named by id: it stays unread (the snapshot) and B's answer counts nothing of A's.
  "notifications.markRead": { kind: "own tenant", input: (a) => ({ ids: [a.rows.notification.id], conversationId: a.rows.conversation.id }) },
  "notifications.markAllRead": { kind: "own tenant", input: () => undefined },
  "notifications.getPreferences": { kind: "own tenant", input: () => undefined },
  "notifications.updatePreferences": { kind: "own tenant", input: () => ({ types: { mention: { email: false } }, previews: false }) },
  "notifications.pushStatus": { kind: "own tenant", input: (a) => ({ endpoint: a.rows.pushSubscription.endpoint }) },
  // The same browser may subscribe in two workspaces: B's registration is B's, and A's stays as it was.
  "notifications.subscribePush": { kind: "own tenant", input: (a) => ({ endpoint: a.rows.pushSubscription.endpoint, keys: { p256dh: "B".repeat(87), auth: "C".repeat(22) } }) },
  "notifications.unsubscribePush": { kind: "own tenant", input: (a) => ({ endpoint: a.rows.pushSubscription.endpoint }) },
  "conversations.participants": { kind: "foreign id", input: (a) => ({ id: a.rows.conversation.id }) },
  "conversations.addParticipant": { kind: "foreign id", input: (a) => ({ id: a.rows.conversation.id, userId: a.users.owner.id }) },
  "conversations.removeParticipant": { kind: "foreign id", input: (a) => ({ id: a.rows.conversation.id, userId: a.users.agent.id }) },
  "assignment.listPolicies": { kind: "own tenant", input: () => undefined },
  "assignment.getPolicy": { kind: "foreign id", input: (a) => ({ teamId: a.rows.team.id }) },
  "assignment.updatePolicy": { kind: "foreign id", input: (a) => ({ channelId: a.rows.channel.id, mode: "balanced", returnAfterMinutes: 0 }) },
  "assignment.setCapacity": { kind: "foreign id", input: (a) => ({ userId: a.users.agent.id, capacity: 1 }) },
  "assignment.queue": { kind: "own tenant", input: () => undefined },
  "account.sessions": { kind: "own tenant", input: () => undefined },
  "account.revokeSession": { kind: "foreign id", input: (a) => ({ id: a.sessions.owner.id }) },
  "account.revokeOtherSessions": { kind: "own tenant", input: () => undefined },
  "account.changePassword": { kind: "own tenant", input: () => ({ currentPassword: "a guess at someone's password", newPassword: "the attacker's new password" }) },
  "delivery.list": { kind: "own tenant", input: () => ({ state: "all" }) },
  "delivery.retry": { kind: "foreign id", input: () => ({ messageId: failedReplyOfA }) },
  "delivery.discard": { kind: "foreign id", input: () => ({ messageId: failedReplyOfA }) },
  "quarantine.list": { kind: "foreign id", input: (a) => ({ channelId: a.rows.channel.id }) },
  "quarantine.retry": { kind: "foreign id", input: (a) => ({ id: a.rows.quarantinedUpdate.id }) },
  "quarantine.discard": { kind: "foreign id", input: (a) => ({ id: a.rows.quarantinedUpdate.id }) },
};

let database: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;
/** A reply of A's that Telegram refused: what the Delivery page lists, retries and discards. */
let failedReplyOfA: string;

beforeAll(async () => {
  database = await createTestDatabase();
  a = await createTenantFixture(database.db, "victim");
  b = await createTenantFixture(database.db, "attacker");
  const failed = await database.db.message.create({
    data: {
      tenantId: a.tenant.id,
      conversationId: a.rows.conversation.id,
      direction: "outbound",
      senderType: "agent",
      text: "secret of victim, not delivered",
      deliveryStatus: "failed",
      deliveryError: "Telegram refused: Forbidden: bot was blocked by the user",
    },
  });
  failedReplyOfA = failed.id;
});
afterAll(async () => {
  await database.drop();
});

/** Everything tenant A has, as one string: compared before and after each attack. */
const snapshotOfA = () => snapshotOfTenant(database.db, a);

/** Strings that only tenant A's data contains (not email addresses: anyone may invite any address). */
function secretsOfA(): string[] {
  return [
    a.tenant.id,
    a.tenant.name,
    ...Object.values(a.users).map((user) => user.id),
    ...Object.values(a.memberships).map((membership) => membership.id),
    ...Object.values(a.sessions).map((session) => session.id),
    ...Object.values(a.rows)
      .map((row) => ("id" in row ? String(row.id) : "channelId" in row ? (row.channelId ?? "") : ""))
      .filter((id) => id.length > 8),
    a.rows.pushSubscription.endpoint,
    a.rows.pushSubscription.p256dh,
    a.keys.full.apiKey.id,
    a.keys.full.apiKey.prefix,
    "secret of victim",
  ];
}

async function call(principal: Principal, path: string, input: unknown): Promise<{ ok: true; data: unknown } | { ok: false; error: TRPCError }> {
  const caller = callerFor(database, principal, { tenantSlug: principal.kind === "user" ? b.tenant.slug : undefined });
  const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
  try {
    return { ok: true, data: await procedure(input) };
  } catch (error) {
    if (error instanceof TRPCError) return { ok: false, error };
    throw error;
  }
}

const procedurePaths = Object.keys(appRouter._def.procedures).sort();

describe("cross-tenant attack suite", () => {
  it("has an attack for every procedure in the router", () => {
    expect(procedurePaths.filter((path) => !(path in attacks))).toEqual([]);
    expect(Object.keys(attacks).filter((path) => !procedurePaths.includes(path))).toEqual([]);
  });

  const principals: [string, (fixture: TenantFixture) => Principal][] = [
    ["tenant B's owner (session)", (fixture) => fixture.as("owner")],
    ["tenant B's admin API key", (fixture) => fixture.asKey(fixture.keys.full)],
  ];

  describe.each(principals)("as %s", (_, principalOf) => {
    it.each(procedurePaths)("%s cannot read or change tenant A", async (path) => {
      const attack = attacks[path]!;
      const before = await snapshotOfA();
      const input = attack.kind === "capability" ? attack.input() : attack.input(a);
      const result = await call(principalOf(b), path, input);

      if (attack.kind === "foreign id") {
        expect(result.ok, `${path} accepted tenant A's id`).toBe(false);
        if (!result.ok) expect(["NOT_FOUND", "FORBIDDEN"]).toContain(result.error.code);
      } else if (attack.kind === "capability") {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe("NOT_FOUND");
      } else if (result.ok) {
        const answer = superjson.stringify(result.data);
        for (const secret of secretsOfA()) expect(answer, `${path} leaked ${secret}`).not.toContain(secret);
      } else {
        for (const secret of secretsOfA()) expect(result.error.message).not.toContain(secret);
      }
      expect(await snapshotOfA()).toBe(before);
    });
  });

  it("a session naming tenant A's slug is told the workspace does not exist", async () => {
    const caller = callerFor(database, b.as("owner"), { tenantSlug: a.tenant.slug });
    await expect(caller.members.list()).rejects.toMatchObject({ code: "NOT_FOUND", message: "workspace not found" });
    const nowhere = callerFor(database, b.as("owner"), { tenantSlug: "no-such-workspace" });
    await expect(nowhere.members.list()).rejects.toMatchObject({ code: "NOT_FOUND", message: "workspace not found" });
  });
});

/**
 * The website widget's public API (app/api/widget/<publicId>/…) from tenant B's
 * side: B's visitor, holding B's genuine visitor token and file links, aims them
 * at A's widget; B's site's origin calls A's widget. Every route file has an
 * attack here, so a new endpoint without one fails the suite.
 */
describe("the website widget's public API, attacked from tenant B", () => {
  const widgetSecret = "isolation-widget-secret-".padEnd(40, "x");
  let limiters: ReturnType<typeof createRateLimiters>;
  let fromB: { session: SessionAnswer; message: VisitorMessage };
  let ofA: VisitorMessage;
  const deps = () => widgetDepsFor(database, { secret: widgetSecret, limiters });
  /** A's widget, called with A's own origin and B's visitor token. */
  const withBsToken = () => {
    const browser = widgetBrowser(deps(), a.rows.webWidget.publicId, a.rows.webWidget.allowedOrigins[0]!);
    browser.token = fromB.session.visitorToken;
    return browser;
  };
  /** A's widget, called from B's site. */
  const fromBsSite = () => widgetBrowser(deps(), a.rows.webWidget.publicId, b.rows.webWidget.allowedOrigins[0]!);

  beforeAll(async () => {
    process.env.PUBLIC_URL ??= "https://support.example";
    limiters = createRateLimiters({ databaseUrl: database.url });
    const visitorOfB = widgetBrowser(deps(), b.rows.webWidget.publicId, b.rows.webWidget.allowedOrigins[0]!);
    const session = (await visitorOfB.session()).body as SessionAnswer;
    const upload = (await visitorOfB.upload({ name: "b.jpg", type: "image/jpeg", bytes: tinyJpeg })).body as UploadAnswer;
    fromB = { session, message: (await visitorOfB.send({ text: "B's visitor", uploadIds: [upload.uploadId], clientMessageId: "b-1" })).body as VisitorMessage };
    // A's own visitor and file, written before the attacks: what A's snapshot must keep as it is.
    const visitorOfA = widgetBrowser(deps(), a.rows.webWidget.publicId, a.rows.webWidget.allowedOrigins[0]!);
    await visitorOfA.session();
    const uploadOfA = (await visitorOfA.upload({ name: "a.jpg", type: "image/jpeg", bytes: tinyJpeg })).body as UploadAnswer;
    ofA = (await visitorOfA.send({ text: "secret of victim's visitor", uploadIds: [uploadOfA.uploadId], clientMessageId: "a-1" })).body as VisitorMessage;
  });
  afterAll(async () => {
    await limiters.close();
  });

  const refusedToken = (answer: WidgetAnswer) => {
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: "INVALID_VISITOR_TOKEN" } });
  };
  /** `fromSite`: the call from B's site (every route but the file links, which an `<img>` opens with no Origin: the link is the authority). */
  const attacks: Record<string, { withToken: () => Promise<void>; fromSite?: () => Promise<WidgetAnswer> }> = {
    config: {
      // Public by nature; nothing of A's beyond what A's own pages show.
      withToken: async () => expect(JSON.stringify((await withBsToken().config()).body)).not.toContain("secret of victim"),
      fromSite: () => fromBsSite().config(),
    },
    session: { withToken: async () => refusedToken(await withBsToken().session()), fromSite: () => fromBsSite().session() },
    messages: {
      withToken: async () => {
        refusedToken(await withBsToken().messages());
        refusedToken(await withBsToken().send({ text: "injected", clientMessageId: "x-1" }));
      },
      fromSite: () => fromBsSite().messages(undefined, { bearer: fromB.session.visitorToken }),
    },
    uploads: { withToken: async () => refusedToken(await withBsToken().upload({ name: "x.jpg", type: "image/jpeg", bytes: tinyJpeg })), fromSite: () => fromBsSite().upload({ name: "x.jpg", type: "image/jpeg", bytes: tinyJpeg }) },
    read: { withToken: async () => refusedToken(await withBsToken().read()), fromSite: () => fromBsSite().read() },
    contact: { withToken: async () => refusedToken(await withBsToken().contact({ email: "mallory@example.com" })), fromSite: () => fromBsSite().contact({ email: "mallory@example.com" }) },
    "files/[messageId]/[index]": {
      withToken: async () => {
        refusedToken(await withBsToken().file(ofA.id, 0));
        refusedToken(await withBsToken().file(fromB.message.id, 0));
      },
      fromSite: () => fromBsSite().file(ofA.id, 0, { bearer: fromB.session.visitorToken }),
    },
    "files/[messageId]/[index]/[token]": {
      // B's genuine file link, pointed at A's widget, and A's link with B's message put in: nothing opens.
      withToken: async () => {
        const link = fromB.message.attachments[0]!.url.replace(b.rows.webWidget.publicId, a.rows.webWidget.publicId);
        expect((await withBsToken().open(link)).status).toBe(404);
        expect((await withBsToken().open(ofA.attachments[0]!.url.replace(ofA.id, fromB.message.id))).status).toBe(404);
      },
    },
  };

  it("has an attack for every route of the widget's API", () => {
    const root = path.join(process.cwd(), "app/api/widget/[publicId]");
    const routes = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith("route.ts")).map((file) => path.dirname(file).split(path.sep).join("/"));
    expect(routes.sort()).toEqual(Object.keys(attacks).sort());
  });

  it.each(Object.keys(attacks))("%s refuses B's visitor token and B's site on A's widget, and changes nothing of A's", async (route) => {
    const before = await snapshotOfA();
    await attacks[route]!.withToken();
    const fromSite = await attacks[route]!.fromSite?.();
    if (fromSite) {
      expect(fromSite.status).toBe(403);
      expect(fromSite.body).toMatchObject({ error: { code: "ORIGIN_NOT_ALLOWED" } });
      expect(fromSite.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect(await snapshotOfA()).toBe(before);
  });
});
