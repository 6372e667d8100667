import { once } from "node:events";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/server/db/tenant-scope";
import { createRateLimiters, type RateLimiters } from "@/server/security/rate-limit";
import { updateSettings } from "@/server/services/settings/settings";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { hostileHtml, tinyJpeg } from "@/server/test/sample-files";
import { callerFor } from "@/server/test/trpc";
import { receiveUpload } from "./receive-upload";

let database: TestDatabase;
let t: TenantFixture;
let limiters: RateLimiters;
const secret = "upload-test-secret-long-enough-0000000";
const MB = 1024 * 1024;
const appHost = "support.example.test";

beforeAll(async () => {
  process.env.APP_SECRET = secret;
  process.env.PUBLIC_URL = `https://${appHost}`;
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "uploads");
  limiters = createRateLimiters({ databaseUrl: database.url }, { upload: { points: 1000, durationSeconds: 60 } });
});
afterAll(async () => {
  await limiters.close();
  await database.drop();
});

const keyAuth = (fixture = t) => ({ authorization: `Bearer ${fixture.keys.full.key}` });
const cookieAuth = async (fixture = t, role: "admin" | "agent" = "agent") => ({
  cookie: `next-auth.session-token=${await encode({ token: { uid: fixture.users[role].id, sid: fixture.sessions[role].id }, secret, maxAge: 3600 })}`,
});

function form(files: { field?: string; name: string; type: string; bytes: Buffer }[], fields: Record<string, string> = {}) {
  const body = new FormData();
  for (const file of files) body.append(file.field ?? "file", new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return body;
}

function upload(body: BodyInit, headers: Record<string, string>, options: { slug?: string; limiter?: RateLimiters["upload"] } = {}) {
  const slug = options.slug ?? "uploads";
  const request = new Request(`https://${appHost}/api/t/${slug}/uploads`, { method: "POST", headers: { host: appHost, ...headers }, body, duplex: "half" } as RequestInit);
  return receiveUpload(request, slug, { appDb: database.appDb, systemDb: database.db, limiter: options.limiter ?? limiters.upload });
}

const one = (name: string, type: string, bytes: Buffer) => form([{ name, type, bytes }]);

/**
 * A multipart body that is never fully there: a file part whose content goes on
 * for `totalBytes`, made 64 KB at a time and only when the server asks for more,
 * sent chunked (no Content-Length). Counts what was asked for.
 */
function endlessUpload(totalBytes: number) {
  const boundary = "----support-chat-test-boundary";
  const counter = { pulled: 0 };
  const encoder = new TextEncoder();
  let started = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`));
          return;
        }
        if (counter.pulled >= totalBytes) {
          controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
          return controller.close();
        }
        counter.pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x41));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe("what an upload is stored as", () => {
  it("an HTML page named photo.jpg, claiming image/jpeg, is kept as opaque bytes; a real JPEG as a JPEG", async () => {
    const disguised = await upload(one("photo.jpg", "image/jpeg", hostileHtml), keyAuth());
    expect(disguised.status).toBe(201);
    const stored = (await disguised.json()) as { id: string; mimeType: string; fileName: string; size: number };
    expect(stored).toMatchObject({ fileName: "photo.jpg", mimeType: "application/octet-stream", size: hostileHtml.length });
    expect((await database.db.upload.findUniqueOrThrow({ where: { id: stored.id } })).mimeType).toBe("application/octet-stream");

    const real = (await (await upload(one("IMG_0001.bin", "application/x-anything", tinyJpeg), keyAuth())).json()) as { mimeType: string };
    expect(real.mimeType).toBe("image/jpeg");
  });
});

describe("the 10 MB limit, while the body streams in", () => {
  it("refuses a chunked body as soon as its file passes 10 MB, without reading on", async () => {
    const body = endlessUpload(300 * MB);
    const response = await upload(body.stream, { ...keyAuth(), "content-type": body.contentType });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE", message: "the file is larger than 10 MB" } });
    // The limit and at most a few chunks of read-ahead: never the 300 MB the client offered.
    expect(body.counter.pulled).toBeGreaterThan(10 * MB);
    expect(body.counter.pulled).toBeLessThan(11 * MB);
    const pulled = body.counter.pulled;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(body.counter.pulled).toBe(pulled);
    expect(await database.db.upload.count({ where: { fileName: "huge.bin" } })).toBe(0);
  });

  it("over a real connection, a client still sending gets its 413, and the server stops taking bytes", async () => {
    // The request as the web process hands it to the route: the socket's stream is the body, pulled as it is read.
    let serverSide: Socket | undefined;
    const server = createServer((req, res) => {
      serverSide = req.socket;
      const request = new Request(`http://${appHost}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req as unknown as BodyInit, duplex: "half" } as RequestInit);
      void receiveUpload(request, "uploads", { appDb: database.appDb, systemDb: database.db, limiter: limiters.upload }).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const boundary = "----support-chat-socket-test";
      const client = httpRequest({
        host: "127.0.0.1",
        port: (server.address() as AddressInfo).port,
        path: "/api/t/uploads/uploads",
        method: "POST",
        headers: { ...keyAuth(), "content-type": `multipart/form-data; boundary=${boundary}`, "transfer-encoding": "chunked" },
      });
      client.on("error", () => undefined);
      const answered = new Promise<{ status: number; body: string }>((resolve) =>
        client.on("response", (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => (body += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode!, body }));
        }),
      );
      let answer: Awaited<typeof answered> | undefined;
      void answered.then((value) => (answer = value));
      client.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.bin"\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 0x42);
      // Keeps offering up to 300 MB, as fast as the connection takes it, until the answer comes.
      let writeFailed = false;
      client.once("error", () => (writeFailed = true));
      for (let sent = 0; !answer && !writeFailed && sent < 300 * MB; sent += chunk.length) {
        if (!client.write(chunk)) await Promise.race([once(client, "drain").catch(() => undefined), answered]);
      }
      const { status, body } = await answered;
      expect(status).toBe(413);
      expect(JSON.parse(body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
      // What the server took off the wire: the limit and its read-ahead, not what the client had to give.
      const taken = serverSide!.bytesRead;
      expect(taken).toBeLessThan(12 * MB);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(serverSide!.bytesRead - taken).toBeLessThan(MB);
      client.destroy();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("refuses a body that declares more than the limit before reading any of it", async () => {
    const body = endlessUpload(300 * MB);
    const response = await upload(body.stream, { ...keyAuth(), "content-type": body.contentType, "content-length": String(300 * MB) });
    expect(response.status).toBe(413);
    expect(body.counter.pulled).toBe(0);
  });

  it("takes a file of exactly 10 MB", async () => {
    const response = await upload(one("exactly.bin", "application/octet-stream", Buffer.alloc(10 * MB, 1)), keyAuth());
    expect(response.status).toBe(201);
  });

  it("wants exactly one non-empty file, in a field named file", async () => {
    const expectRefused = async (response: Response) => {
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "BAD_REQUEST", fieldErrors: { file: [expect.any(String)] } } });
    };
    await expectRefused(await upload(one("empty.txt", "text/plain", Buffer.alloc(0)), keyAuth()));
    await expectRefused(await upload(form([{ field: "attachment", name: "a.jpg", type: "image/jpeg", bytes: tinyJpeg }]), keyAuth()));
    await expectRefused(await upload(form([{ name: "a.jpg", type: "image/jpeg", bytes: tinyJpeg }, { name: "b.jpg", type: "image/jpeg", bytes: tinyJpeg }]), keyAuth()));
    await expectRefused(await upload(form([{ name: "a.jpg", type: "image/jpeg", bytes: tinyJpeg }], { note: "hello" }), keyAuth()));
    await expectRefused(await upload(JSON.stringify({ file: "x" }), { ...keyAuth(), "content-type": "application/json" }));
  });
});

describe("the workspace's storage quota", () => {
  it("takes a file that fits, up to the quota exactly, and refuses one that would pass it, saying what is used and who can raise it", async () => {
    const q = await createTenantFixture(database.db, "quota");
    await withTenant(database.appDb, q.tenant.id, (tx) => updateSettings(tx, { tenantId: q.tenant.id, changes: { storage: { quotaMb: 10 } }, actor: { userId: q.users.owner.id } }));
    // The fixture already keeps one 5-byte file.
    const room = 10 * MB - 5;
    expect((await upload(one("most.bin", "application/octet-stream", Buffer.alloc(room - 100, 2)), keyAuth(q), { slug: "quota" })).status).toBe(201);
    const over = await upload(one("one-too-many.bin", "application/octet-stream", Buffer.alloc(101, 3)), keyAuth(q), { slug: "quota" });
    expect(over.status).toBe(413);
    const { error } = (await over.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toContain("10 MB of its 10 MB storage quota");
    expect(error.message).toContain("an owner or admin can raise the quota in Settings → Data retention");
    expect((await upload(one("last.bin", "application/octet-stream", Buffer.alloc(100, 4)), keyAuth(q), { slug: "quota" })).status).toBe(201);
    const used = await database.db.upload.aggregate({ where: { tenantId: q.tenant.id }, _sum: { size: true } });
    expect(used._sum.size).toBe(10 * MB);
    // What the Data retention page shows.
    const admin = callerFor(database, q.as("admin"), { tenantSlug: "quota" });
    expect(await admin.settings.storageUsage()).toEqual({ usedBytes: 10 * MB, quotaBytes: 10 * MB });
  });

  it("is a workspace setting of 1 GB by default, from 10 MB to 100 GB", async () => {
    const admin = callerFor(database, t.as("admin"), { tenantSlug: "uploads" });
    const settings = await admin.settings.get();
    expect(settings.values.storage).toEqual({ quotaMb: 1024 });
    expect(settings.sources.storage).toBe("built-in");
    await expect(admin.settings.update({ changes: { storage: { quotaMb: 5 } } })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { details: { fieldErrors: { storage: ["quotaMb: at least 10 MB"] } } } });
    await expect(admin.settings.update({ changes: { storage: { quotaMb: 200_000 } } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("uploads racing for the last room cannot overshoot it together", async () => {
    const q = await createTenantFixture(database.db, "quota-race");
    await withTenant(database.appDb, q.tenant.id, (tx) => updateSettings(tx, { tenantId: q.tenant.id, changes: { storage: { quotaMb: 10 } }, actor: { userId: q.users.owner.id } }));
    const statuses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => upload(one(`part-${i}.bin`, "application/octet-stream", Buffer.alloc(3 * MB, i)), keyAuth(q), { slug: "quota-race" }).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 413)).toHaveLength(2);
    const used = await database.db.upload.aggregate({ where: { tenantId: q.tenant.id }, _sum: { size: true } });
    expect(used._sum.size).toBeLessThanOrEqual(10 * MB);
  });
});

describe("who may upload, and how often", () => {
  it("a member's browser must send it from this site's pages: another origin is refused (CSRF), the same origin is taken", async () => {
    const cookie = await cookieAuth();
    const crossSite = await upload(one("a.jpg", "image/jpeg", tinyJpeg), { ...cookie, origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    // A cookie alone, with neither Origin nor the product's own header, proves nothing.
    expect((await upload(one("a.jpg", "image/jpeg", tinyJpeg), cookie)).status).toBe(403);
    expect((await upload(one("a.jpg", "image/jpeg", tinyJpeg), { ...cookie, origin: `https://${appHost}` })).status).toBe(201);
    expect((await upload(one("a.jpg", "image/jpeg", tinyJpeg), { ...cookie, "x-requested-with": "support-chat" })).status).toBe(201);
    expect(await database.db.upload.count({ where: { tenantId: t.tenant.id, createdById: t.users.agent.id } })).toBe(2);
  });

  it("an API key needs no Origin: a browser never sends one on its own", async () => {
    expect((await upload(one("a.jpg", "image/jpeg", tinyJpeg), keyAuth())).status).toBe(201);
    expect((await upload(one("a.jpg", "image/jpeg", tinyJpeg), { ...keyAuth(), origin: "https://integration.example" })).status).toBe(201);
  });

  it("past its uploads per minute, a member or key gets 429 with Retry-After; others are not held up", async () => {
    const r = await createTenantFixture(database.db, "upload-rate");
    const tight = createRateLimiters({ databaseUrl: database.url }, { upload: { points: 2, durationSeconds: 60 } });
    const options = { slug: "upload-rate", limiter: tight.upload };
    try {
      const asAgent = async () => upload(one("a.jpg", "image/jpeg", tinyJpeg), { ...(await cookieAuth(r)), "x-requested-with": "support-chat" }, options);
      expect((await asAgent()).status).toBe(201);
      expect((await asAgent()).status).toBe(201);
      const limited = await asAgent();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await limited.json()).toMatchObject({ error: { code: "TOO_MANY_REQUESTS", message: expect.stringMatching(/^too many uploads; try again in \d+ s$/) } });
      const asAdmin = await upload(one("a.jpg", "image/jpeg", tinyJpeg), { ...(await cookieAuth(r, "admin")), "x-requested-with": "support-chat" }, options);
      expect(asAdmin.status).toBe(201);
      expect((await upload(one("a.jpg", "image/jpeg", tinyJpeg), keyAuth(r), options)).status).toBe(201);
    } finally {
      await tight.close();
    }
  });

  it("refuses strangers and keys without messages:write", async () => {
    expect((await upload(one("a.jpg", "image/jpeg", tinyJpeg), {})).status).toBe(401);
    expect((await upload(one("a.jpg", "image/jpeg", tinyJpeg), { authorization: `Bearer ${t.keys.read.key}` })).status).toBe(404);
  });
});
