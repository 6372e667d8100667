import { parse as parseCookies } from "cookie";
import { getToken } from "next-auth/jwt";
import type { SystemDb } from "@/server/db/client";
import { authenticateApiKey, type ApiKeyPrincipal } from "@/server/services/api-keys/authenticate-api-key";

export type UserPrincipal = { kind: "user"; userId: string };
export type Principal = UserPrincipal | ApiKeyPrincipal;

export type PrincipalResult = { principal: Principal | null; invalidApiKey: boolean };

/**
 * Who is calling: an API key (`Authorization: Bearer sck_…`) or the next-auth
 * session cookie. A bearer credential that is not a live key is reported, so
 * the caller gets "invalid API key" rather than being treated as anonymous.
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
  const token = await getToken({ req: { cookies, headers: new Headers() } as never, secret: process.env.APP_SECRET });
  return { principal: typeof token?.uid === "string" ? { kind: "user", userId: token.uid } : null, invalidApiKey: false };
}
