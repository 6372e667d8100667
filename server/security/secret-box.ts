import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for secrets kept at rest (Telegram bot tokens). The key id stored
 * next to each ciphertext names the key that sealed it, so keys can rotate.
 */

export type SealedSecret = { ciphertext: string; keyId: string };

export function keyIdOf(hexKey: string): string {
  return createHash("sha256").update(hexKey.toLowerCase()).digest("hex").slice(0, 12);
}

export function seal(plaintext: string, hexKey: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(hexKey, "hex"), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return { ciphertext: Buffer.concat([iv, tag, body]).toString("base64url"), keyId: keyIdOf(hexKey) };
}

export function open(sealed: SealedSecret, hexKeys: string[]): string {
  const key = hexKeys.find((candidate) => keyIdOf(candidate) === sealed.keyId);
  if (!key) throw new Error(`no encryption key with id ${sealed.keyId} is configured`);
  const raw = Buffer.from(sealed.ciphertext, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", Buffer.from(key, "hex"), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
