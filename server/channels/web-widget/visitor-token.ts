import { createHash } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";

/**
 * A website visitor, as the widget channel knows them: one visitor of one
 * channel of one workspace. `visitorId` is the identity's external id: an
 * anonymous `visitor:<uuid>` or a host site's verified `user:<identifier>`.
 */
export type VisitorGrant = {
  tenantId: string;
  channelId: string;
  visitorId: string;
  /**
   * For a verified `user:` visitor, which identity secret vouched for them
   * (`secretGeneration`): rotating the secret ends every such token, so a
   * leaked secret stops opening anyone's thread once it is replaced.
   */
  generation?: string;
};

/** A short, stable name of a channel's current identity secret (never the secret: a digest of its sealed form). */
export function secretGeneration(sealed: { ciphertext: string }): string {
  return createHash("sha256").update(sealed.ciphertext).digest("base64url").slice(0, 16);
}

const VISITOR_AUDIENCE = "support-chat:widget-visitor";
const SOCKET_AUDIENCE = "support-chat:widget-socket";

/**
 * How long a socket token opens the visitor namespace: the widget asks for a
 * new one (`POST /session`) when a reconnect finds it expired.
 */
export const SOCKET_TOKEN_SECONDS = 10 * 60;

/**
 * Keys of their own, derived from APP_SECRET (as file links and realtime tokens
 * derive theirs), so a visitor's token can pass for nothing else and the long-lived
 * visitor token cannot open a socket in place of the short-lived one.
 */
function keyOf(purpose: string, secret: string): Uint8Array {
  if (secret.length < 32) throw new Error("widget tokens need APP_SECRET (at least 32 characters)");
  return createHash("sha256").update(`${purpose}:${secret}`).digest();
}

const claimsOf = (grant: VisitorGrant) => ({ tid: grant.tenantId, cid: grant.channelId, ...(grant.generation ? { gen: grant.generation } : {}) });

function grantOf(payload: { tid?: unknown; cid?: unknown; sub?: unknown; gen?: unknown }): VisitorGrant | null {
  const { tid, cid, sub, gen } = payload;
  if (typeof tid !== "string" || typeof cid !== "string" || typeof sub !== "string" || !/^(visitor|user):./.test(sub)) return null;
  // A verified visitor without the secret's generation is not one this version signed.
  if (sub.startsWith("user:") && typeof gen !== "string") return null;
  return { tenantId: tid, channelId: cid, visitorId: sub, ...(typeof gen === "string" ? { generation: gen } : {}) };
}

/** Whether a grant still holds for the channel as it is now: its own channel and workspace, and for a verified visitor the current secret. */
export function grantHolds(grant: VisitorGrant, widget: { channelId: string; tenantId: string; secret: { ciphertext: string } }): boolean {
  if (grant.channelId !== widget.channelId || grant.tenantId !== widget.tenantId) return false;
  return !grant.visitorId.startsWith("user:") || grant.generation === secretGeneration(widget.secret);
}

/**
 * The token a browser keeps (localStorage) to stay the same visitor of the
 * same channel. It does not expire: a visitor coming back weeks later finds
 * their conversation. It is bound to its channel — every call checks it against
 * the channel the URL names — and grants nothing beyond that visitor's own thread.
 */
export function signVisitorToken(grant: VisitorGrant, secret: string): Promise<string> {
  return new SignJWT(claimsOf(grant)).setProtectedHeader({ alg: "HS256" }).setSubject(grant.visitorId).setAudience(VISITOR_AUDIENCE).setIssuedAt().sign(keyOf("widget-visitor", secret));
}

/** The visitor a token names, or null when it is forged, altered or another kind of token. */
export async function verifyVisitorToken(token: unknown, secret: string): Promise<VisitorGrant | null> {
  if (typeof token !== "string" || token.length > 2048) return null;
  try {
    const { payload } = await jwtVerify(token, keyOf("widget-visitor", secret), { audience: VISITOR_AUDIENCE, algorithms: ["HS256"] });
    return grantOf(payload);
  } catch {
    return null;
  }
}

/** Opens the visitor socket namespace for a few minutes (`SessionAnswer.socketToken`). */
export function signSocketToken(grant: VisitorGrant, secret: string, now = Date.now()): Promise<string> {
  const issued = Math.floor(now / 1000);
  return new SignJWT(claimsOf(grant))
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(grant.visitorId)
    .setAudience(SOCKET_AUDIENCE)
    .setIssuedAt(issued)
    .setExpirationTime(issued + SOCKET_TOKEN_SECONDS)
    .sign(keyOf("widget-socket", secret));
}

/** `expired` for a genuine token past its time (the widget renews it), `invalid` for anything else that is not a grant. */
export async function verifySocketToken(token: unknown, secret: string, now = Date.now()): Promise<VisitorGrant | "expired" | "invalid"> {
  if (typeof token !== "string" || token.length > 2048) return "invalid";
  try {
    const { payload } = await jwtVerify(token, keyOf("widget-socket", secret), { audience: SOCKET_AUDIENCE, algorithms: ["HS256"], currentDate: new Date(now) });
    return grantOf(payload) ?? "invalid";
  } catch (error) {
    // jose checks the signature before the time, so only a token we signed can be "expired".
    return error instanceof errors.JWTExpired ? "expired" : "invalid";
  }
}
