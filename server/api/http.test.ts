import { encode } from "next-auth/jwt";
import { processPublicUrl } from "@/lib/env";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

async function sessionCookie(userId: string, maxAge = 3600): Promise<string> {
  const token = await encode({ token: { uid: userId, sub: userId }, secret, maxAge });
  return `next-auth.session-token=${token}`;
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
    const forged = await encode({ token: { uid: t.users.owner.id }, secret: "another-secret-another-secret-000000", maxAge: 3600 });
    expect((await get("me.get", { cookie: `next-auth.session-token=${forged}` })).status).toBe(401);
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
    expect(Object.keys(body.error.json.data.fieldErrors).sort()).toEqual(["name", "scopes"]);
    for (const contentType of ["application/json", "text/plain"]) {
      const garbage = await handler(
        new Request("http://localhost/api/trpc/apiKeys.create", { method: "POST", headers: { cookie, origin, "x-tenant": "http", "content-type": contentType }, body: "{not json" }),
      );
      expect(garbage.status).toBeGreaterThanOrEqual(400);
      expect(garbage.status).toBeLessThan(500);
    }
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
