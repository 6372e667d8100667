import { parse as parseCookies } from "cookie";
import { getToken } from "next-auth/jwt";
import { z } from "zod";
import type { SystemDb } from "@/server/db/client";
import { authenticateApiKey, type ApiKeyPrincipal } from "@/server/services/api-keys/authenticate-api-key";
import { authenticateSession } from "@/server/services/sessions/authenticate-session";

/** A signed-in user, and the session (the `Session` row) their cookie stands for. */
export type UserPrincipal = { kind: "user"; userId: string; sessionId: string };
export type Principal = UserPrincipal | ApiKeyPrincipal;

export type PrincipalResult = { principal: Principal | null; invalidApiKey: boolean };

/** What a session cookie must carry; a cookie from before sessions had ids (no `sid`) fails it, so its user signs in again. */
const sessionClaims = z.object({ uid: z.uuid(), sid: z.uuid() });

/**
 * Who is calling: an API key (`Authorization: Bearer sck_…`) or the next-auth
 * session cookie. A bearer credential that is not a live key is reported, so
 * the caller gets "invalid API key" rather than being treated as anonymous. A
 * cookie counts only while its session is live: signed out, revoked, ended by a
 * password change or past its expiry, it is refused on the very next request.
 */
export async function principalFromHeaders(db: SystemDb, headers: Headers): Promise<PrincipalResult> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const [scheme, key] = authorization.split(" ");
    const principal = scheme?.toLowerCase() === "bearer" && key ? await authenticateApiKey(db, key.trim()) : null;
    return { principal, invalidApiKey: principal === null };
  }
  const cookies = new Map(Object.entries(parseCookies(headers.get("cookie") ?? "")).filter((entry): entry is [string, string] => entry[1] !== undefined));
  if (cookies.size === 0) return { principal: null, invalidApiKey: false };
  // getToken verifies the signature and the expiry; the request headers are not passed so it cannot fall back to Bearer.
  const claims = sessionClaims.safeParse(await getToken({ req: { cookies, headers: new Headers() } as never, secret: process.env.APP_SECRET }));
  if (!claims.success) return { principal: null, invalidApiKey: false };
  const { uid: userId, sid: sessionId } = claims.data;
  const live = await authenticateSession(db, { userId, sessionId });
  return { principal: live ? { kind: "user", userId, sessionId } : null, invalidApiKey: false };
}
