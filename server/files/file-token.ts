import { createHash } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";

/**
 * How long a link on the files origin opens its file. Long enough for a page to
 * load its images and an agent to press play; short enough that a link copied
 * out of the page (or left in a history) is soon worth nothing.
 */
export const FILE_TOKEN_SECONDS = 5 * 60;
const AUDIENCE = "support-chat:file";

/** Exactly one attachment of one message of one workspace. */
export type FileGrant = { tenantId: string; messageId: string; index: number };

/** A key of its own, derived from APP_SECRET, so a file link can never pass for a session or a realtime token. */
function keyOf(secret: string): Uint8Array {
  // APP_SECRET is checked at start; an empty one here would make every link forgeable.
  if (secret.length < 32) throw new Error("file links need APP_SECRET (at least 32 characters)");
  return createHash("sha256").update(`file-token:${secret}`).digest();
}

/** Signed by the app's file route after its access check; the files origin needs nothing else. */
export async function signFileToken(grant: FileGrant, secret: string, now = Date.now()): Promise<string> {
  return new SignJWT({ tid: grant.tenantId, mid: grant.messageId, idx: grant.index })
    .setProtectedHeader({ alg: "HS256" })
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + FILE_TOKEN_SECONDS)
    .sign(keyOf(secret));
}

/**
 * What a token grants; `expired` for a genuine token past its time (the page
 * can fetch a new one), `invalid` for anything forged, altered or of another kind.
 */
export async function verifyFileToken(token: string, secret: string, now = Date.now()): Promise<FileGrant | "expired" | "invalid"> {
  if (token.length > 1024) return "invalid";
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), { audience: AUDIENCE, algorithms: ["HS256"], currentDate: new Date(now) });
    const { tid, mid, idx } = payload;
    if (typeof tid !== "string" || typeof mid !== "string" || typeof idx !== "number" || !Number.isInteger(idx) || idx < 0) return "invalid";
    return { tenantId: tid, messageId: mid, index: idx };
  } catch (error) {
    // jose checks the signature before the time, so only a token we signed can be "expired".
    return error instanceof errors.JWTExpired ? "expired" : "invalid";
  }
}
