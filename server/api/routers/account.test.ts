import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalFromHeaders, type Principal } from "@/server/auth/principal";
import { signIn } from "@/server/auth/sign-in";
import { hashPassword } from "@/server/security/password";
import { createRateLimiters, type RateLimiters } from "@/server/security/rate-limit";
import { createSession } from "@/server/services/sessions/create-session";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { callerFor } from "@/server/test/trpc";

/** The account page's procedures: a person's own sessions and password. */

let database: TestDatabase;
let t: TenantFixture;
let limiters: RateLimiters;
const secret = "account-test-secret-that-is-long-enough-0";
const firefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
const safariOnIphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "account");
  limiters = createRateLimiters({ databaseUrl: database.url });
  process.env.APP_SECRET = secret;
});
afterAll(async () => {
  await limiters.close();
  await database.drop();
});

/** A user of their own with a password, signed in on `devices` browsers. */
async function personWith(devices: (string | null)[], password = "an old password, long enough") {
  const user = await database.db.user.create({
    data: { email: `person-${Math.random().toString(36).slice(2)}@example.com`, name: "Person", passwordHash: await hashPassword(password) },
  });
  await database.db.membership.create({ data: { tenantId: t.tenant.id, userId: user.id, role: "agent" } });
  const sessions: { id: string }[] = [];
  for (const [index, userAgent] of devices.entries()) {
    sessions.push(await createSession(database.db, { userId: user.id, userAgent, ip: `198.51.100.${index + 1}`, maxAgeSeconds: 3600 }));
  }
  const on = (index: number): Principal => ({ kind: "user", userId: user.id, sessionId: sessions[index]!.id });
  return { user, password, sessions, on, account: (index: number) => callerFor(database, on(index)).account };
}

/** Whether a request with this session's cookie would be let in, as every request is checked. */
async function cookieWorks(userId: string, sessionId: string): Promise<boolean> {
  const cookie = `next-auth.session-token=${await encode({ token: { uid: userId, sid: sessionId }, secret, maxAge: 3600 })}`;
  return (await principalFromHeaders(database.db, new Headers({ cookie }))).principal !== null;
}

describe("account.sessions", () => {
  it("lists the caller's live sessions with device, address, started and last seen, this device first", async () => {
    const person = await personWith([firefoxOnWindows, safariOnIphone, null, firefoxOnWindows, firefoxOnWindows]);
    await database.db.session.update({ where: { id: person.sessions[3]!.id }, data: { revokedAt: new Date(), revokedReason: "signed_out" } });
    await database.db.session.update({ where: { id: person.sessions[4]!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const seenLately = new Date(Date.now() + 5_000);
    await database.db.session.update({ where: { id: person.sessions[2]!.id }, data: { lastSeenAt: seenLately } });

    const listed = await person.account(1).sessions();

    expect(listed.map((session) => session.id)).toEqual([person.sessions[1]!.id, person.sessions[2]!.id, person.sessions[0]!.id]);
    expect(listed[0]).toMatchObject({ current: true, ip: "198.51.100.2", device: { browser: "Mobile Safari 17", os: "iOS 17.5", kind: "mobile" } });
    expect(listed[1]).toMatchObject({ current: false, lastSeenAt: seenLately, device: { browser: null, os: null, kind: "other" } });
    expect(listed[2]).toMatchObject({ current: false, ip: "198.51.100.1", device: { browser: "Firefox 128", os: "Windows 10", kind: "other" } });
    expect(listed[2]!.createdAt).toBeInstanceOf(Date);
    // Nobody else's sessions, and no user agent string to leak.
    expect(JSON.stringify(listed)).not.toContain(t.sessions.agent.id);
    expect(JSON.stringify(listed)).not.toContain("Mozilla");
  });
});

describe("account.revokeSession", () => {
  it("ends one of the caller's own sessions at once: its cookie is refused on the next request; the rest go on", async () => {
    const person = await personWith([firefoxOnWindows, safariOnIphone, firefoxOnWindows]);
    expect(await cookieWorks(person.user.id, person.sessions[1]!.id)).toBe(true);

    expect(await person.account(0).revokeSession({ id: person.sessions[1]!.id })).toEqual({ revoked: true });

    expect(await cookieWorks(person.user.id, person.sessions[1]!.id)).toBe(false);
    expect(await cookieWorks(person.user.id, person.sessions[0]!.id)).toBe(true);
    expect(await cookieWorks(person.user.id, person.sessions[2]!.id)).toBe(true);
    expect(await database.db.session.findUniqueOrThrow({ where: { id: person.sessions[1]!.id } })).toMatchObject({ revokedReason: "revoked" });
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { action: "auth.sessions_revoked", targetId: person.sessions[1]!.id } });
    expect(audit).toMatchObject({ tenantId: null, actorUserId: person.user.id, ip: "203.0.113.7", metadata: { reason: "revoked", count: 1 } });
  });

  it("cannot end another user's session: NOT_FOUND, exactly like one that does not exist, and it stays live", async () => {
    const person = await personWith([firefoxOnWindows]);
    await expect(person.account(0).revokeSession({ id: t.sessions.owner.id })).rejects.toMatchObject({ code: "NOT_FOUND", message: "no such session" });
    await expect(person.account(0).revokeSession({ id: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND", message: "no such session" });
    expect(await cookieWorks(t.users.owner.id, t.sessions.owner.id)).toBe(true);
  });
});

describe("account.revokeOtherSessions", () => {
  it("signs out of every other device and keeps this one", async () => {
    const person = await personWith([firefoxOnWindows, safariOnIphone, null]);

    expect(await person.account(1).revokeOtherSessions()).toEqual({ count: 2 });

    expect(await cookieWorks(person.user.id, person.sessions[1]!.id)).toBe(true);
    expect(await cookieWorks(person.user.id, person.sessions[0]!.id)).toBe(false);
    expect(await cookieWorks(person.user.id, person.sessions[2]!.id)).toBe(false);
    expect((await person.account(1).sessions()).map((session) => session.id)).toEqual([person.sessions[1]!.id]);
    // Someone else's sessions are untouched.
    expect(await cookieWorks(t.users.agent.id, t.sessions.agent.id)).toBe(true);
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { action: "auth.sessions_revoked", targetId: person.user.id } });
    expect(audit).toMatchObject({ tenantId: null, metadata: { reason: "signed_out_everywhere", count: 2 } });
  });
});

describe("account.changePassword", () => {
  it("refuses a wrong current password with a field error, and changes nothing", async () => {
    const person = await personWith([firefoxOnWindows, safariOnIphone]);
    const error = await person.account(0).changePassword({ currentPassword: "not my password", newPassword: "a new password, long enough" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: "currentPassword: is not your current password" });
    expect((error as { cause: { details: unknown } }).cause.details).toEqual({ fieldErrors: { currentPassword: ["is not your current password"] } });
    expect(await database.db.user.findUniqueOrThrow({ where: { id: person.user.id } })).toMatchObject({ passwordHash: person.user.passwordHash });
    expect(await cookieWorks(person.user.id, person.sessions[1]!.id)).toBe(true);
  });

  it("validates the new password with the sign-up rules", async () => {
    const person = await personWith([firefoxOnWindows]);
    await expect(person.account(0).changePassword({ currentPassword: person.password, newPassword: "short" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(person.account(0).changePassword({ currentPassword: person.password, newPassword: person.password })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "newPassword: must differ from your current password",
    });
  });

  it("sets the new password, ends every other session and keeps the current one", async () => {
    const person = await personWith([firefoxOnWindows, safariOnIphone, null]);
    const newPassword = "a brand new password, long enough";

    expect(await person.account(0).changePassword({ currentPassword: person.password, newPassword })).toEqual({ sessionsEnded: 2 });

    expect(await cookieWorks(person.user.id, person.sessions[0]!.id)).toBe(true);
    expect(await cookieWorks(person.user.id, person.sessions[1]!.id)).toBe(false);
    expect(await cookieWorks(person.user.id, person.sessions[2]!.id)).toBe(false);
    expect(await database.db.session.findUniqueOrThrow({ where: { id: person.sessions[1]!.id } })).toMatchObject({ revokedReason: "password_changed" });
    await expect(signIn(database.db, limiters, { email: person.user.email, password: person.password, ip: "192.0.2.1" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(signIn(database.db, limiters, { email: person.user.email, password: newPassword, ip: "192.0.2.1" })).resolves.toMatchObject({ id: person.user.id });
    const audit = await database.db.auditLog.findFirstOrThrow({ where: { action: "auth.password_changed", targetId: person.user.id } });
    expect(audit).toMatchObject({ tenantId: null, actorUserId: person.user.id, metadata: { sessionsEnded: 2 } });
    expect(JSON.stringify(audit)).not.toContain(newPassword);
  });

  it("limits wrong current passwords per user: after 5, even the right one must wait, and nobody else is held up", async () => {
    const person = await personWith([firefoxOnWindows]);
    const other = await personWith([firefoxOnWindows]);
    const change = (who: typeof person, currentPassword: string) =>
      who.account(0).changePassword({ currentPassword, newPassword: "a new password, long enough" }).catch((error: unknown) => error as { code: string; message: string });
    for (let i = 0; i < 5; i++) expect(await change(person, `guess ${i}`)).toMatchObject({ code: "BAD_REQUEST" });

    expect(await change(person, person.password)).toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringMatching(/^too many wrong passwords; try again in \d+ s$/) });
    expect(await database.db.user.findUniqueOrThrow({ where: { id: person.user.id } })).toMatchObject({ passwordHash: person.user.passwordHash });
    expect(await change(other, other.password)).toEqual({ sessionsEnded: 0 });
    // Signing in is limited on its own terms, not by these.
    await expect(signIn(database.db, limiters, { email: person.user.email, password: person.password, ip: "192.0.2.2" })).resolves.toMatchObject({ id: person.user.id });
  });
});
