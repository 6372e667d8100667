import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baselineSecurityHeaders, fillSecurityHeaders, pagePolicy } from "./security-headers";

describe("security headers", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const headers = Object.entries(baselineSecurityHeaders("https://support.example"));
    server = createServer((req, res) => {
      fillSecurityHeaders(res, headers);
      if (req.url === "/file") {
        res.setHeader("content-security-policy", "sandbox; default-src 'none'");
        res.setHeader("referrer-policy", "no-referrer");
        res.end("bytes");
      } else if (req.url === "/explicit") {
        res.writeHead(404, { "content-security-policy": "sandbox" }).end();
      } else {
        res.end("{}");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("fills in every header a response does not set itself, and leaves a route's own alone", async () => {
    const plain = await fetch(`${url}/json`);
    expect(plain.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(plain.headers.get("x-frame-options")).toBe("DENY");
    expect(plain.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(plain.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const file = await fetch(`${url}/file`);
    expect(file.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    expect(file.headers.get("referrer-policy")).toBe("no-referrer");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await fetch(`${url}/explicit`)).headers.get("content-security-policy")).toBe("sandbox");
  });

  it("sends HSTS only when the public address is https", () => {
    expect(baselineSecurityHeaders("http://localhost:3000")).not.toHaveProperty("strict-transport-security");
  });

  it("gives a page a policy that runs only its nonce's scripts and reaches only this site, realtime and the files origin", () => {
    const policy = pagePolicy("bm9uY2U=", { publicUrl: "https://support.example", realtimeUrl: "https://rt.support.example", filesOrigin: "https://files.example" });
    expect(policy).toContain("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
    expect(policy).toContain("connect-src 'self' https://rt.support.example wss://rt.support.example");
    expect(policy).toContain("img-src 'self' data: blob: https://files.example");
    expect(policy).toContain("media-src 'self' blob: https://files.example");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("manifest-src 'self'");
    expect(policy).toContain("worker-src 'self' blob:");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("upgrade-insecure-requests");
    expect(policy).not.toContain("unsafe-eval");
    expect(pagePolicy("x", { publicUrl: "http://localhost:3000", realtimeUrl: "http://localhost:3001" })).toContain("connect-src 'self' http://localhost:3001 ws://localhost:3001");
  });
});
