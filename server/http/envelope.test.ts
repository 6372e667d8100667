import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/server/test/free-port";

/**
 * Error paths over the real route handlers, in production mode, with the database gone:
 * every answer is the envelope with a request id, and nothing internal reaches the client.
 */

const saved = { NODE_ENV: process.env.NODE_ENV, DATABASE_URL: process.env.DATABASE_URL, APP_SECRET: process.env.APP_SECRET };

beforeAll(async () => {
  (process.env as Record<string, string>).NODE_ENV = "production";
  process.env.DATABASE_URL = `postgres://nobody:secret-password@127.0.0.1:${await freePort()}/gone`;
  process.env.APP_SECRET = "envelope-test-secret-that-is-long-enough";
});
afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe("API errors in production", () => {
  it("tRPC: an unexpected failure is a generic message naming the request id, with no stack or internals", async () => {
    const { GET } = await import("@/app/api/trpc/[trpc]/route");
    // A public procedure that needs the database, which is not there.
    const input = encodeURIComponent(JSON.stringify({ json: { token: "a".repeat(43) } }));
    const response = await GET(new Request(`http://localhost/api/trpc/invitations.get?input=${input}`, { headers: { "x-request-id": "trace-me-1" } }));
    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("trace-me-1");
    const raw = await response.text();
    const body = JSON.parse(raw) as { error: { json: { message: string; data: { code: string; requestId: string; stack?: string } } } };
    expect(body.error.json.message).toBe("something went wrong on our side; quote request id trace-me-1 when you report it");
    expect(body.error.json.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: "trace-me-1" });
    expect(body.error.json.data.stack).toBeUndefined();
    expect(raw).not.toMatch(/secret-password|ECONNREFUSED|at .*\.ts:\d+/);
  });

  it("tRPC: when the request cannot even be set up (the API key cannot be checked), the answer still names its request id", async () => {
    const { GET } = await import("@/app/api/trpc/[trpc]/route");
    const key = `sck_${"a".repeat(8)}_${"b".repeat(43)}`;
    const response = await GET(new Request("http://localhost/api/trpc/me.get", { headers: { authorization: `Bearer ${key}`, "x-request-id": "setup-fails-1" } }));
    expect(response.status).toBe(500);
    const raw = await response.text();
    const body = JSON.parse(raw) as { error: { json: { message: string; data: { requestId: string } } } };
    expect(body.error.json.data.requestId).toBe("setup-fails-1");
    expect(body.error.json.message).toContain("quote request id setup-fails-1");
    expect(raw).not.toContain(key);
  });

  it("tRPC: a client error keeps its code and message, with the request id", async () => {
    const { GET } = await import("@/app/api/trpc/[trpc]/route");
    const response = await GET(new Request("http://localhost/api/trpc/no.such.procedure"));
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { json: { data: { code: string; requestId: string } } } };
    expect(body.error.json.data.code).toBe("NOT_FOUND");
    expect(body.error.json.data.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("x-request-id")).toBe(body.error.json.data.requestId);
  });

  it("route handlers answer the same envelope: uploads without a principal, public strings for a bad locale", async () => {
    const uploads = await import("@/app/api/t/[slug]/uploads/route");
    const upload = await uploads.POST(new Request("http://localhost/api/t/acme/uploads", { method: "POST", headers: { "x-request-id": "up-1" } }), { params: Promise.resolve({ slug: "acme" }) });
    expect(upload.status).toBe(401);
    expect(await upload.json()).toEqual({ error: { code: "UNAUTHORIZED", message: "sign in or pass an API key", requestId: "up-1" } });

    const strings = await import("@/app/api/public/[slug]/i18n/[locale]/route");
    const bad = await strings.GET(new Request("http://localhost/api/public/acme/i18n/x"), { params: Promise.resolve({ slug: "acme", locale: "not a locale!" }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "BAD_REQUEST", requestId: expect.any(String) } });
  });
});
