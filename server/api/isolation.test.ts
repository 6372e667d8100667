import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/server/auth/principal";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { snapshotOfTenant } from "@/server/test/tenant-snapshot";
import { callerFor } from "@/server/test/trpc";
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
  "invitations.get": { kind: "capability", input: () => ({ token: randomToken() }) },
  "invitations.accept": { kind: "capability", input: () => ({ token: randomToken(), name: "Mallory", password: "mallory-password" }) },
  "apiKeys.create": { kind: "own tenant", input: () => ({ name: "attacker", scopes: ["admin"] }) },
  "apiKeys.list": { kind: "own tenant", input: () => undefined },
  "apiKeys.revoke": { kind: "foreign id", input: (a) => ({ id: a.keys.full.apiKey.id }) },
  "channels.list": { kind: "own tenant", input: () => undefined },
  "channels.connectTelegram": { kind: "own tenant", input: () => ({ token: "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }) },
  "channels.disconnect": { kind: "foreign id", input: (a) => ({ id: a.rows.channel.id }) },
  "conversations.list": { kind: "own tenant", input: () => ({ view: "all", status: "open", search: "secret" }) },
  "conversations.get": { kind: "foreign id", input: (a) => ({ id: a.rows.conversation.id }) },
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
    ...Object.values(a.rows).map((row) => String(row.id)).filter((id) => id.length > 8),
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
