import { encode } from "next-auth/jwt";
import { processPublicUrl } from "@/lib/env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "@/server/services/sessions/create-session";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";

/**
 * The real route handler, as the browser and API clients reach it: the session
 * cookie that next-auth sets, or `Authorization: Bearer <key>`.
 */

let database: TestDatabase;
let t: TenantFixture;
let handler: (req: Request) => Promise<Response>;
const secret = "http-test-secret-that-is-long-enough-000";
/** What a browser sends as Origin from the product's own pages. */
const origin = new URL(processPublicUrl()).origin;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "http");
  process.env.DATABASE_URL = database.url;
  process.env.APP_SECRET = secret;
  ({ GET: handler } = await import("@/app/api/trpc/[trpc]/route"));
});
afterAll(async () => {
  await database.drop();
});

/** The cookie next-auth sets at sign-in: a JWT naming the user and a live session of theirs (server/auth/options.ts). */
async function sessionCookie(userId: string, maxAge = 3600): Promise<string> {
  const session = await createSession(database.db, { userId, userAgent: "http test", ip: "203.0.113.9", maxAgeSeconds: 3600 });
  return cookieWith({ uid: userId, sid: session.id, sub: userId }, maxAge);
}

async function cookieWith(claims: Record<string, string>, maxAge = 3600): Promise<string> {
  return `next-auth.session-token=${await encode({ token: claims, secret, maxAge })}`;
}

async function get(path: string, headers: Record<string, string>) {
  const response = await handler(new Request(`http://localhost/api/trpc/${path}`, { headers }));
  const body = (await response.json()) as { result?: { data: { json: unknown } }; error?: { json: { message: string; data: { code: string } } } };
  return { status: response.status, headers: response.headers, data: body.result?.data.json, error: body.error?.json };
}

describe("tRPC over HTTP", () => {
  it("knows the user from the session cookie and acts in the workspace named by x-tenant", async () => {
    const cookie = await sessionCookie(t.users.admin.id);
    const me = await get("me.get", { cookie });
    expect(me.status).toBe(200);
    expect(me.data).toMatchObject({ kind: "user", user: { email: t.users.admin.email }, memberships: [{ tenant: { slug: "http" } }] });
    const members = await get("members.list", { cookie, "x-tenant": "http" });
    expect(members.status).toBe(200);
  });

  it("refuses an expired or forged session with 401", async () => {
    expect((await get("me.get", { cookie: await sessionCookie(t.users.admin.id, -60) })).status).toBe(401);
    const forged = await encode({ token: { uid: t.users.owner.id, sid: t.sessions.owner.id }, secret: "another-secret-another-secret-000000", maxAge: 3600 });
    expect((await get("me.get", { cookie: `next-auth.session-token=${forged}` })).status).toBe(401);
  });

  it("refuses a cookie from before sessions had ids (no sid) with 401: its user signs in again", async () => {
    const refused = await get("me.get", { cookie: await cookieWith({ uid: t.users.admin.id, sub: t.users.admin.id }) });
    expect(refused.status).toBe(401);
    expect(refused.error?.message).toBe("sign in or pass an API key");
  });

  it("refuses a cookie whose session has ended or run out, though the cookie itself is valid", async () => {
    const revoked = await createSession(database.db, { userId: t.users.agent.id, userAgent: null, ip: "203.0.113.9", maxAgeSeconds: 3600 });
    const cookie = await cookieWith({ uid: t.users.agent.id, sid: revoked.id });
    expect((await get("me.get", { cookie })).status).toBe(200);
    await database.db.session.update({ where: { id: revoked.id }, data: { revokedAt: new Date(), revokedReason: "revoked" } });
    expect((await get("me.get", { cookie })).status).toBe(401);

    const expired = await createSession(database.db, { userId: t.users.agent.id, userAgent: null, ip: "203.0.113.9", maxAgeSeconds: 3600 });
    await database.db.session.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await get("me.get", { cookie: await cookieWith({ uid: t.users.agent.id, sid: expired.id }) })).status).toBe(401);
  });

  it("refuses a cookie that pairs a user with someone else's session", async () => {
    const borrowed = await cookieWith({ uid: t.users.owner.id, sid: t.sessions.agent.id });
    expect((await get("me.get", { cookie: borrowed })).status).toBe(401);
    expect((await get("me.get", { cookie: await cookieWith({ uid: t.users.owner.id, sid: "not-a-session-id" }) })).status).toBe(401);
  });

  it("answers 404 for a workspace the user is not in, 403 for a role it lacks", async () => {
    const cookie = await sessionCookie(t.users.agent.id);
    const elsewhere = await get("members.list", { cookie, "x-tenant": "someone-else" });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.error?.message).toBe("workspace not found");
    expect((await get("apiKeys.list", { cookie, "x-tenant": "http" })).status).toBe(403);
  });

  it("accepts an API key as a bearer token and refuses it once revoked", async () => {
    const authorization = `Bearer ${t.keys.full.key}`;
    expect((await get("workspace.get", { authorization })).data).toMatchObject({ slug: "http", role: "admin" });
    await database.db.apiKey.update({ where: { id: t.keys.full.apiKey.id }, data: { revokedAt: new Date() } });
    const refused = await get("workspace.get", { authorization });
    expect(refused.status).toBe(401);
    expect(refused.error?.message).toBe("invalid or revoked API key");
  });

  it("answers 400 with field errors for bad input, and never 500", async () => {
    const cookie = await sessionCookie(t.users.admin.id);
    const response = await handler(
      new Request("http://localhost/api/trpc/apiKeys.create", {
        method: "POST",
        headers: { cookie, origin, "x-tenant": "http", "content-type": "application/json" },
        body: JSON.stringify({ json: { name: "", scopes: ["root"] } }),
      }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { json: { data: { fieldErrors: Record<string, string[]> } } } };
    // Keyed by each field's dotted path: the name, and the first scope of the list.
    expect(Object.keys(body.error.json.data.fieldErrors).sort()).toEqual(["name", "scopes.0"]);
    for (const contentType of ["application/json", "text/plain"]) {
      const garbage = await handler(
        new Request("http://localhost/api/trpc/apiKeys.create", { method: "POST", headers: { cookie, origin, "x-tenant": "http", "content-type": contentType }, body: "{not json" }),
      );
      expect(garbage.status).toBeGreaterThanOrEqual(400);
      expect(garbage.status).toBeLessThan(500);
    }
  });

  it("reads at most 1 MB of a call's body (chunked or not) and answers 413; a procedure that declares more gets more", async () => {
    const cookie = await sessionCookie(t.users.admin.id);
    const headers = { cookie, origin, "x-tenant": "http", "content-type": "application/json" };
    const big = JSON.stringify({ json: { conversationId: t.rows.conversation.id, text: "x".repeat(2 * 1024 * 1024) } });
    const declared = await handler(new Request("http://localhost/api/trpc/messages.send", { method: "POST", headers: { ...headers, "content-length": String(big.length) }, body: big }));
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { json: { data: { code: string } } } }).error.json.data.code).toBe("PAYLOAD_TOO_LARGE");

    // A chunked body of 64 KB chunks without an end: refused once past the limit, the rest never read.
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 65_536;
        controller.enqueue(new Uint8Array(65_536).fill(32));
      },
    });
    const chunked = await handler(new Request("http://localhost/api/trpc/messages.send", { method: "POST", headers, body: endless, duplex: "half" } as RequestInit));
    expect(chunked.status).toBe(413);
    expect(sent).toBeLessThan(1.5 * 1024 * 1024);

    // templates.upsert declares 3 MB (forty long variants): 1.2 MB reaches its validation instead of being cut off.
    const variants = Array.from({ length: 40 }, (_, i) => ({ locale: `x${i}`, body: "é".repeat(15_000) }));
    const template = JSON.stringify({ json: { key: "big.one", kind: "canned", published: false, variants } });
    expect(Buffer.byteLength(template)).toBeGreaterThan(1024 * 1024);
    const upsert = await handler(new Request("http://localhost/api/trpc/templates.upsert", { method: "POST", headers, body: template }));
    expect(upsert.status).toBe(400);
  });

  it("refuses a cookie-authenticated form post from another site (CSRF), whatever its content type", async () => {
    const cookie = await sessionCookie(t.users.admin.id);
    const form = new FormData();
    form.set("name", "planted");
    form.set("scopes", "admin");
    const post = (headers: Record<string, string>, body: BodyInit) => handler(new Request("http://localhost/api/trpc/apiKeys.create", { method: "POST", headers, body }));
    const json = JSON.stringify({ json: { name: "planted", scopes: ["admin"] } });
    expect((await post({ cookie, origin: "https://evil.example", "x-tenant": "http" }, form)).status).toBe(403);
    expect((await post({ cookie, origin: "https://evil.example", "x-tenant": "http", "content-type": "application/json" }, json)).status).toBe(403);
    // No Origin and not the product's own client: refused too.
    expect((await post({ cookie, "x-tenant": "http", "content-type": "application/json" }, json)).status).toBe(403);
    // The text/plain a form could send is not something tRPC reads at all.
    expect((await post({ cookie, origin: "https://evil.example", "x-tenant": "http", "content-type": "text/plain" }, json)).status).toBe(415);
    expect(await database.db.apiKey.count({ where: { name: "planted" } })).toBe(0);
  });
});
