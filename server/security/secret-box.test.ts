import { describe, expect, it } from "vitest";
import { keyIdOf, open, seal } from "./secret-box";

const key = "a1".repeat(32);
const otherKey = "b2".repeat(32);

describe("secret box (AES-256-GCM)", () => {
  it("opens what it sealed, and never shows the plaintext in the ciphertext", () => {
    const sealed = seal("123456:ABC-secret-token", key);
    expect(sealed.ciphertext).not.toContain("ABC-secret-token");
    expect(sealed.keyId).toBe(keyIdOf(key));
    expect(open(sealed, [key])).toBe("123456:ABC-secret-token");
  });

  it("uses a fresh nonce each time", () => {
    expect(seal("same", key).ciphertext).not.toBe(seal("same", key).ciphertext);
  });

  it("finds the sealing key among several, so keys can rotate", () => {
    const sealed = seal("token", key);
    expect(open(sealed, [otherKey, key])).toBe("token");
    expect(() => open(sealed, [otherKey])).toThrow(`no encryption key with id ${keyIdOf(key)} is configured`);
  });

  it("rejects a tampered ciphertext", () => {
    const sealed = seal("token", key);
    const raw = Buffer.from(sealed.ciphertext, "base64url");
    raw[raw.length - 1]! ^= 1;
    expect(() => open({ ...sealed, ciphertext: raw.toString("base64url") }, [key])).toThrow();
  });
});
