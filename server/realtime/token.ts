import { createHash } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { ApiScope } from "@/lib/api-scopes";

/** How long a realtime token may be used to connect; the client asks for a new one at each (re)connect. */
export const REALTIME_TOKEN_SECONDS = 60;
const AUDIENCE = "support-chat:realtime";

export type RealtimeIdentity = {
  tenantId: string;
  role: "owner" | "admin" | "agent";
  /** An agent (a signed-in user, and the session they signed in with) or an integration (an API key). */
  principal: { kind: "user"; userId: string; sessionId: string } | { kind: "apiKey"; apiKeyId: string; scopes: ApiScope[] };
};

/** A key of its own for these tokens, derived from APP_SECRET, so they can never pass for a session. */
function keyOf(secret: string): Uint8Array {
  return createHash("sha256").update(`realtime-token:${secret}`).digest();
}

/** Signed by the web process (`realtime.token`), checked by the realtime servers. */
export async function signRealtimeToken(identity: RealtimeIdentity, secret: string, now = Date.now()): Promise<string> {
  const subject = identity.principal.kind === "user" ? `user:${identity.principal.userId}` : `key:${identity.principal.apiKeyId}`;
  const claims = identity.principal.kind === "apiKey" ? { scopes: identity.principal.scopes } : { sid: identity.principal.sessionId };
  return new SignJWT({ tid: identity.tenantId, role: identity.role, ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(subject)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + REALTIME_TOKEN_SECONDS)
    .sign(keyOf(secret));
}

/** The identity in a token, or null when it is forged, expired, or not a realtime token. */
export async function verifyRealtimeToken(token: unknown, secret: string): Promise<RealtimeIdentity | null> {
  if (typeof token !== "string" || token.length > 4096) return null;
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { audience: AUDIENCE, algorithms: ["HS256"] });
    const [kind, id] = (payload.sub ?? "").split(":");
    const tenantId = payload.tid;
    const role = payload.role;
    if (typeof tenantId !== "string" || !id || (role !== "owner" && role !== "admin" && role !== "agent")) return null;
    // A user's socket lives only as long as their session does, so a token must name it.
    if (kind === "user" && typeof payload.sid === "string" && z.uuid().safeParse(payload.sid).success) return { tenantId, role, principal: { kind: "user", userId: id, sessionId: payload.sid } };
    if (kind === "key" && Array.isArray(payload.scopes)) return { tenantId, role, principal: { kind: "apiKey", apiKeyId: id, scopes: payload.scopes as ApiScope[] } };
    return null;
  } catch {
    return null;
  }
}
