import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { hostileHtml, tinyJpeg, tinyPng } from "@/server/test/sample-files";
import { FILE_TOKEN_SECONDS, signFileToken } from "./file-token";
import { serveFileLink } from "./serve-file-link";

let database: TestDatabase;
let t: TenantFixture;
let other: TenantFixture;
/** Message A: a real JPEG, then an HTML page an agent uploaded as "photo.jpg"; message B: a PNG; C is another workspace's. */
let a: string;
let b: string;
let c: string;
const secret = "files-origin-test-secret-long-enough-00";
const files = { origin: "https://files.support-usercontent.test", secret };
const deps = (overrides: { trustProxy?: boolean } = {}) => ({ appDb: database.appDb, log: createLogger("test", "silent"), files, trustProxy: overrides.trustProxy ?? false });

async function messageWith(fixture: TenantFixture, uploads: { name: string; bytes: Buffer; mimeType: string }[]) {
  const attachments = [];
  for (const upload of uploads) {
    const row = await database.db.upload.create({ data: { tenantId: fixture.tenant.id, fileName: upload.name, mimeType: upload.mimeType, size: upload.bytes.length, bytes: new Uint8Array(upload.bytes) } });
    attachments.push({ kind: "photo", uploadId: row.id, fileName: upload.name, mimeType: upload.mimeType });
  }
  const message = await database.db.message.create({
    data: { tenantId: fixture.tenant.id, conversationId: fixture.rows.conversation.id, direction: "outbound", senderType: "agent", deliveryStatus: "sent", attachments },
  });
  return message.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "files-origin");
  other = await createTenantFixture(database.db, "files-elsewhere");
  // Rows as they were stored before uploads were checked: the type is the sender's claim.
  a = await messageWith(t, [
    { name: "me.jpg", bytes: tinyJpeg, mimeType: "image/jpeg" },
    { name: "photo.jpg", bytes: hostileHtml, mimeType: "image/jpeg" },
  ]);
  b = await messageWith(t, [{ name: "scan.png", bytes: tinyPng, mimeType: "image/png" }]);
  c = await messageWith(other, [{ name: "theirs.png", bytes: tinyPng, mimeType: "image/png" }]);
});
afterAll(() => database.drop());

const open = (token: string, headers: Record<string, string> = { host: "files.support-usercontent.test" }, options: { trustProxy?: boolean } = {}) =>
  serveFileLink(new Request(`https://files.support-usercontent.test/files/${token}`, { headers }), token, deps(options));
const link = (grant: { tenantId?: string; messageId: string; index: number }, now = Date.now()) => signFileToken({ tenantId: t.tenant.id, ...grant }, secret, now);

describe("the files origin's links", () => {
  it("open exactly the attachment they were signed for, embeddable by the app's pages, sandboxed", async () => {
    const response = await open(await link({ messageId: a, index: 0 }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(response.headers.get("content-disposition")).toBe("inline; filename*=UTF-8''me.jpg");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(response.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(tinyJpeg);
    expect(Buffer.from(await (await open(await link({ messageId: b, index: 0 }))).arrayBuffer())).toEqual(tinyPng);
  });

  it("serve an HTML page an agent uploaded as a JPEG as opaque bytes to download", async () => {
    const response = await open(await link({ messageId: a, index: 1 }));
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''photo.jpg");
    expect(response.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
  });

  it("are nothing on any other host, the app's own included", async () => {
    const token = await link({ messageId: a, index: 0 });
    const onApp = await open(token, { host: "support.example.test" });
    expect(onApp.status).toBe(404);
    expect(await onApp.json()).toMatchObject({ error: { code: "NOT_FOUND", message: "no such file" } });
    // A client's own X-Forwarded-Host counts only behind a trusted proxy.
    expect((await open(token, { host: "support.example.test", "x-forwarded-host": "files.support-usercontent.test" })).status).toBe(404);
    expect((await open(token, { host: "10.0.0.5:3000", "x-forwarded-host": "files.support-usercontent.test" }, { trustProxy: true })).status).toBe(200);
    // With no files origin configured, the route serves nothing anywhere.
    const unset = await serveFileLink(new Request(`http://localhost/files/${token}`, { headers: { host: "localhost" } }), token, { ...deps(), files: null });
    expect(unset.status).toBe(404);
  });

  it("refuse a tampered link (404) and an expired one (410), in the error envelope", async () => {
    const token = await link({ messageId: a, index: 0 });
    const [header, payload, signature] = token.split(".");
    const flipped = `${header}.${payload}.${signature!.slice(0, -2)}${signature!.slice(-2) === "AA" ? "BB" : "AA"}`;
    const tampered = await open(flipped);
    expect(tampered.status).toBe(404);
    expect(await tampered.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect((await open("not-a-token")).status).toBe(404);

    const expired = await open(await link({ messageId: a, index: 0 }, Date.now() - (FILE_TOKEN_SECONDS + 1) * 1000));
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ error: { code: "GONE", message: "this file link has expired; open the file from the conversation again" } });
    expect((await open(await link({ messageId: a, index: 0 }, Date.now() - (FILE_TOKEN_SECONDS - 30) * 1000))).status).toBe(200);
  });

  it("do not open another attachment: a link's grant cannot be rewritten, nor signed with another key", async () => {
    const token = await link({ messageId: a, index: 0 });
    const [header, , signature] = token.split(".");
    const rewrite = (grant: object) => `${header}.${Buffer.from(JSON.stringify(grant)).toString("base64url")}.${signature}`;
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect((await open(rewrite({ ...claims, idx: 1 }))).status).toBe(404);
    expect((await open(rewrite({ ...claims, mid: b }))).status).toBe(404);
    expect((await open(await signFileToken({ tenantId: t.tenant.id, messageId: a, index: 0 }, "another-secret-that-is-long-enough-000"))).status).toBe(404);
  });

  it("a link names its workspace: another workspace's message is not found through it", async () => {
    expect((await open(await link({ messageId: c, index: 0 }))).status).toBe(404);
    expect((await open(await link({ tenantId: other.tenant.id, messageId: c, index: 0 }))).status).toBe(200);
    expect((await open(await link({ messageId: a, index: 5 }))).status).toBe(404);
  });
});
