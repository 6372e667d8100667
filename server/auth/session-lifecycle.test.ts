import { parse as parseCookie } from "cookie";
import NextAuth from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSystemDb } from "@/server/db/client";
import { hashPassword } from "@/server/security/password";
import { LAST_SEEN_PRECISION_MS } from "@/server/services/sessions/authenticate-session";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { authOptions } from "./options";
import { principalFromHeaders } from "./principal";

/**
 * Sessions from sign-in to sign-out through next-auth's own request handling
 * (the core that /api/auth/* runs) with this product's options, and the cookie
 * it sets presented to the real tRPC and upload route handlers.
 */

let database: TestDatabase;
let t: TenantFixture;
let trpc: (req: Request) => Promise<Response>;
let upload: (req: Request, context: { params: Promise<{ slug: string }> }) => Promise<Response>;
const password = "the agent's own password";
const browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "lifecycle");
  await database.db.user.update({ where: { id: t.users.agent.id }, data: { passwordHash: await hashPassword(password) } });
  process.env.DATABASE_URL = database.url;
  process.env.APP_SECRET = "lifecycle-test-secret-that-is-long-enough";
  process.env.NEXTAUTH_URL = "http://localhost:3000";
  ({ GET: trpc } = await import("@/app/api/trpc/[trpc]/route"));
  ({ POST: upload } = await import("@/app/api/t/[slug]/uploads/route"));
});
afterAll(async () => {
  await getSystemDb().$disconnect();
  await database.drop();
});

type Jar = Record<string, string>;

/**
 * One request to next-auth (/api/auth/<action>), as a browser at 198.51.100.23 sends it,
 * through next-auth's own Node handler; the cookies it sets land in the jar.
 */
async function auth(action: "csrf" | "callback" | "signout", jar: Jar, body?: Record<string, string>) {
  const headers = new Map<string, unknown>();
  const answer: { body?: unknown } = {};
  const res = {
    status: () => res,
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    send: (sent: unknown) => void (answer.body = sent),
    json: (sent: unknown) => void (answer.body = sent),
    end: () => undefined,
  };
  const req = {
    query: { nextauth: action === "callback" ? ["callback", "credentials"] : [action] },
    method: body ? "POST" : "GET",
    body: body ?? {},
    cookies: { ...jar },
    headers: { host: "localhost:3000", "user-agent": browser, "x-forwarded-for": "198.51.100.23" },
  };
  await NextAuth(req as never, res as never, authOptions());
  for (const line of [headers.get("set-cookie") ?? []].flat() as string[]) {
    const [name, value] = Object.entries(parseCookie(line))[0]!;
    if (value) jar[name] = value;
    else delete jar[name];
  }
  return answer.body;
}

async function csrfToken(jar: Jar): Promise<string> {
  return ((await auth("csrf", jar)) as { csrfToken: string }).csrfToken;
}

/** Signs in with the sign-in form's fields; the jar then holds the session cookie. */
async function signIn(): Promise<Jar> {
  const jar: Jar = {};
  await auth("callback", jar, { csrfToken: await csrfToken(jar), email: t.users.agent.email, password, json: "true" });
  expect(jar["next-auth.session-token"]).toBeTruthy();
  return jar;
}

async function signOut(jar: Jar) {
  await auth("signout", jar, { csrfToken: await csrfToken(jar), json: "true" });
}

const cookieOf = (jar: Jar) => `next-auth.session-token=${jar["next-auth.session-token"]}`;
const meStatus = async (cookie: string) => (await trpc(new Request("http://localhost/api/trpc/me.get", { headers: { cookie } }))).status;
const uploadStatus = async (cookie: string) =>
  (await upload(new Request("http://localhost/api/t/lifecycle/uploads", { method: "POST", headers: { cookie } }), { params: Promise.resolve({ slug: "lifecycle" }) })).status;
const sessionsOfAgent = () => database.db.session.findMany({ where: { userId: t.users.agent.id, id: { not: t.sessions.agent.id } }, orderBy: { createdAt: "asc" } });

describe("a session from sign-in to sign-out", () => {
  it("signing in starts a session that records the browser and the address, and the cookie names it", async () => {
    const before = (await sessionsOfAgent()).length;
    const jar = await signIn();
    const sessions = await sessionsOfAgent();
    expect(sessions).toHaveLength(before + 1);
    const started = sessions.at(-1)!;
    expect(started).toMatchObject({ userAgent: browser, ip: "198.51.100.23", revokedAt: null });
    // As long as the cookie: SESSION_MAX_AGE_HOURS, 12 by default.
    expect(started.expiresAt.getTime() - started.createdAt.getTime()).toBe(12 * 3_600_000);
    const { principal } = await principalFromHeaders(database.db, new Headers({ cookie: cookieOf(jar) }));
    expect(principal).toEqual({ kind: "user", userId: t.users.agent.id, sessionId: started.id });
    expect(await meStatus(cookieOf(jar))).toBe(200);
  });

  it("signing out ends the session itself: the very same cookie is refused at once by tRPC and by route handlers (401)", async () => {
    const jar = await signIn();
    const stolen = cookieOf(jar);
    expect(await meStatus(stolen)).toBe(200);
    expect(await uploadStatus(stolen)).not.toBe(401);

    await signOut(jar);

    expect(await meStatus(stolen)).toBe(401);
    expect(await uploadStatus(stolen)).toBe(401);
    const ended = (await sessionsOfAgent()).at(-1)!;
    expect(ended.revokedReason).toBe("signed_out");
    expect(ended.revokedAt).toBeInstanceOf(Date);
  });

  it("signing out on one device leaves the user's other devices signed in", async () => {
    const laptop = await signIn();
    const phone = await signIn();
    await signOut(laptop);
    expect(await meStatus(cookieOf(laptop))).toBe(401);
    expect(await meStatus(cookieOf(phone))).toBe(200);
  });
});

describe("last seen", () => {
  it("is written at most once a minute per session", async () => {
    const jar = await signIn();
    const id = (await sessionsOfAgent()).at(-1)!.id;
    const lastSeen = async () => (await database.db.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime();
    const headers = new Headers({ cookie: cookieOf(jar) });

    const atSignIn = await lastSeen();
    await principalFromHeaders(database.db, headers);
    await principalFromHeaders(database.db, headers);
    expect(await lastSeen()).toBe(atSignIn);

    const aWhileAgo = new Date(Date.now() - LAST_SEEN_PRECISION_MS - 5_000);
    await database.db.session.update({ where: { id }, data: { lastSeenAt: aWhileAgo } });
    await principalFromHeaders(database.db, headers);
    expect(await lastSeen()).toBeGreaterThan(aWhileAgo.getTime() + LAST_SEEN_PRECISION_MS);
  });
});
