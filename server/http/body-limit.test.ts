import { describe, expect, it } from "vitest";
import { bodyRefusal, isNormalPath, OTHER_BODY_LIMIT_BYTES } from "./body-limit";

describe("the web process's body guard", () => {
  const post = (url: string, headers: Record<string, string>) => bodyRefusal({ method: "POST", url, headers });

  it("refuses a declared body over 64 KB, and a body of unknown length, on routes that read no further themselves", () => {
    expect(post("/api/auth/callback/credentials", { "content-length": String(OTHER_BODY_LIMIT_BYTES + 1) })).toMatchObject({ status: 413 });
    expect(post("/api/auth/callback/credentials", { "transfer-encoding": "chunked" })).toMatchObject({ status: 411 });
    expect(post("/t/acme/inbox", { "content-length": "300000000" })).toMatchObject({ status: 413 });
    expect(post("/api/auth/callback/credentials", { "content-length": "512" })).toBeNull();
  });

  it("leaves tRPC, uploads and the Telegram webhook to their own streaming limits, and bodiless methods alone", () => {
    for (const url of ["/api/trpc/messages.send", "/api/t/acme/uploads", "/api/telegram/0b5c5f3e-1111-4222-8333-944445555666/webhook"]) {
      expect(post(url, { "transfer-encoding": "chunked" })).toBeNull();
    }
    expect(bodyRefusal({ method: "GET", url: "/t/acme/inbox", headers: { "transfer-encoding": "chunked" } })).toBeNull();
  });

  it("takes only paths that route where they read: dot segments, plain or encoded, are refused before any check", () => {
    for (const path of ["/api/trpc/messages.send", "/t/acme/inbox?status=open", "/files/eyJ.abc", "/api/t/acme/uploads", "/t/acme/inbox/a%20b"]) expect(isNormalPath(path)).toBe(true);
    for (const path of ["/api/trpc/../auth/callback/credentials", "/api/trpc/%2e%2e/auth/callback/credentials", "/files/%2E%2E/api/trpc/x", "/t/./acme", "/a/.."]) expect(isNormalPath(path)).toBe(false);
  });
});
