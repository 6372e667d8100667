import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { open, seal, type SealedSecret } from "@/server/security/secret-box";

/**
 * A channel's identity-verification secret: the host site's server signs its
 * signed-in user's id with it (hex HMAC-SHA256), so a visitor can claim that
 * user only with the site's word for it. Kept sealed (AES-256-GCM, as bot
 * tokens are) and shown to the admin once, when made.
 */
export function newIdentitySecret(): { secret: string; sealed: SealedSecret } {
  const secret = randomBytes(32).toString("base64url");
  return { secret, sealed: seal(secret, process.env.ENCRYPTION_KEY ?? "") };
}

const hexHash = /^[0-9a-f]{64}$/i;

/**
 * Whether `identifierHash` is the channel's HMAC of `identifier`, compared in
 * constant time so the answer's timing tells nothing of the right hash.
 */
export function isVerifiedIdentifier(sealed: SealedSecret, identifier: string, identifierHash: string): boolean {
  if (!hexHash.test(identifierHash)) return false;
  const secret = open(sealed, [process.env.ENCRYPTION_KEY ?? ""]);
  const expected = createHmac("sha256", secret).update(identifier, "utf8").digest();
  return timingSafeEqual(expected, Buffer.from(identifierHash, "hex"));
}
