import { describe, expect, it } from "vitest";
import { apiErrorResponse, requestIdFrom } from "./api-error";

describe("request ids", () => {
  it("keep a client's well-formed id and replace anything else", () => {
    expect(requestIdFrom("req-42.abc:7")).toBe("req-42.abc:7");
    for (const bad of [null, "", "has spaces", "x".repeat(129), "<script>", "a\nb"]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("the error envelope", () => {
  it("carries the code, a message, field errors when given, and the request id, echoed in x-request-id", async () => {
    const response = apiErrorResponse(new Request("http://localhost/x", { headers: { "x-request-id": "abc-123" } }), "BAD_REQUEST", "send a file", { fieldErrors: { file: ["required"] } });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toBe("abc-123");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error: { code: "BAD_REQUEST", message: "send a file", fieldErrors: { file: ["required"] }, requestId: "abc-123" } });
  });

  it("maps each code to its status", () => {
    const request = new Request("http://localhost/x");
    expect(apiErrorResponse(request, "UNAUTHORIZED", "m").status).toBe(401);
    expect(apiErrorResponse(request, "NOT_FOUND", "m").status).toBe(404);
    expect(apiErrorResponse(request, "PAYLOAD_TOO_LARGE", "m").status).toBe(413);
    expect(apiErrorResponse(request, "BAD_GATEWAY", "m").status).toBe(502);
  });
});
