import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyFileToken } from "@/server/files/file-token";
import { createLogger } from "@/server/logger";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { hostileHtml, hostileSvg, tinyJpeg, tinyPng } from "@/server/test/sample-files";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";
import { proxyAttachment } from "@/server/channels/core/file-proxy";

let database: TestDatabase;
let t: TenantFixture;
let other: TenantFixture;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let token: string;
let channelId: string;
let messageId: string;
const secret = "file-proxy-test-secret-long-enough-0000";
const pdf = Buffer.from("%PDF-1.4 pretend invoice");
let nextChat = 9100;

beforeAll(async () => {
  process.env.APP_SECRET = secret;
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "files");
  other = await createTenantFixture(database.db, "elsewhere");
  telegram = await startTelegram(database);
  token = telegram.emulator.addBot("700006:" + "G".repeat(35), "files_bot").token;
  ({ id: channelId } = await callerFor(database, t.as("admin"), { tenantSlug: "files" }).channels.connectTelegram({ token, mode: "webhook" }));
  const file = telegram.emulator.addFile(pdf, "invoice.pdf", "application/pdf");
  telegram.emulator.customerMessage(token, {
    chat: { id: 9001, type: "private", first_name: "Ann" },
    from: { id: 9001, is_bot: false, first_name: "Ann" },
    content: { document: { ...file, file_name: "invoice.pdf", mime_type: "application/pdf" } },
  });
  await telegram.drained(token);
  messageId = (await database.db.message.findFirstOrThrow({ where: { conversation: { channelId } } })).id;
});
afterAll(async () => {
  await telegram.stop();
  await database.drop();
});

const cookieFor = async (user: "owner" | "agent", fixture = t) =>
  `next-auth.session-token=${await encode({ token: { uid: fixture.users[user].id, sid: fixture.sessions[user].id }, secret, maxAge: 3600 })}`;
const deps = (files: { origin: string; secret: string } | null = null) => ({ appDb: database.appDb, systemDb: database.db, log: createLogger("test", "silent"), files });
const get = (slug: string, headers: Record<string, string>, id = messageId, index = "0", files: { origin: string; secret: string } | null = null) =>
  proxyAttachment(new Request(`http://localhost/api/t/${slug}/files/${id}/${index}`, { headers }), { slug, messageId: id, index }, deps(files));

/** A customer sends one file through the emulator's customer API, as their Telegram app would; the stored message's id. */
async function customerSends(kind: "photo" | "document" | "video" | "voice" | "audio" | "sticker", name: string, bytes: Buffer, mime: string): Promise<string> {
  const chatId = nextChat++;
  const response = await fetch(`${telegram.apiRoot}/control/bots/files_bot/chats/${chatId}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "Mallory", [kind]: { name, base64: bytes.toString("base64"), mime } }),
  });
  expect(response.status).toBe(200);
  await telegram.drained(token);
  const message = await database.db.message.findFirstOrThrow({ where: { conversation: { channelId, externalChatId: String(chatId) } } });
  expect((message.attachments as { kind: string }[])[0]!.kind).toBe(kind);
  return message.id;
}

/** What every file answer carries, whatever the file: it can never run as a page of ours. */
function expectPassiveHeaders(response: Response) {
  expect(response.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  expect(response.headers.get("cache-control")).toMatch(/^private, /);
}

describe("attachment proxy", () => {
  it("streams the file to a member, as a download under its name, and never exposes the token", async () => {
    const response = await get("files", { cookie: await cookieFor("agent") });
    expect(response.status).toBe(200);
    // A PDF can carry script: it downloads, whatever it is called.
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''invoice.pdf");
    expectPassiveHeaders(response);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(pdf);
    expect(JSON.stringify(Object.fromEntries(response.headers))).not.toContain(token);
  });

  it("serves an API key with conversations:read of the same workspace", async () => {
    expect((await get("files", { authorization: `Bearer ${t.keys.read.key}` })).status).toBe(200);
  });

  it("a private note's file follows the notes: members and keys with notes:read, nobody else", async () => {
    const upload = await database.db.upload.create({ data: { tenantId: t.tenant.id, fileName: "internal.pdf", mimeType: "application/pdf", size: pdf.length, bytes: new Uint8Array(pdf) } });
    const note = await database.db.message.create({
      data: {
        tenantId: t.tenant.id,
        conversationId: t.rows.conversation.id,
        direction: "outbound",
        senderType: "agent",
        isPrivate: true,
        text: "internal",
        deliveryStatus: "sent",
        attachments: [{ kind: "document", uploadId: upload.id, fileName: "internal.pdf" }],
      },
    });
    const notesKey = await callerFor(database, t.as("admin"), { tenantSlug: "files" }).apiKeys.create({ name: "notes", scopes: ["conversations:read", "notes:read"] });
    expect((await get("files", { cookie: await cookieFor("agent") }, note.id)).status).toBe(200);
    expect((await get("files", { authorization: `Bearer ${notesKey.key}` }, note.id)).status).toBe(200);
    expect((await get("files", { authorization: `Bearer ${t.keys.read.key}` }, note.id)).status).toBe(404);
    expect((await get("files", { authorization: `Bearer ${t.keys.full.key}` }, note.id)).status).toBe(404);
  });

  it("refuses strangers: 401 anonymous, 404 for another workspace's member or key, or a wrong index", async () => {
    expect((await get("files", {})).status).toBe(401);
    expect((await get("files", { cookie: await cookieFor("owner", other) })).status).toBe(404);
    expect((await get("elsewhere", { cookie: await cookieFor("owner", other) })).status).toBe(404);
    expect((await get("files", { authorization: `Bearer ${other.keys.full.key}` })).status).toBe(404);
    const missing = await get("files", { cookie: await cookieFor("agent") }, messageId, "3");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "NOT_FOUND", message: "no such file" } });
    expect((await get("files", { cookie: await cookieFor("agent") }, "not-an-id")).status).toBe(404);
  });
});

describe("files are never trusted", () => {
  it.each([
    ["an HTML page sent as a photo, claiming text/html", "photo", "cat.jpg", hostileHtml, "text/html"],
    ["an SVG with a script sent as a document, claiming image/svg+xml", "document", "logo.svg", hostileSvg, "image/svg+xml"],
    ["an HTML page sent as a video, claiming video/mp4", "video", "clip.mp4", hostileHtml, "video/mp4"],
    ["an HTML page sent as a voice note, claiming audio/ogg", "voice", "voice.ogg", hostileHtml, "audio/ogg"],
    ["an HTML page sent as audio, claiming audio/mpeg", "audio", "song.mp3", hostileHtml, "audio/mpeg"],
    ["an SVG sent as a sticker, claiming image/webp", "sticker", "sticker.webp", hostileSvg, "image/webp"],
  ] as const)("%s is served as opaque bytes to download, sandboxed", async (_, kind, name, bytes, mime) => {
    const id = await customerSends(kind, name, bytes, mime);
    const response = await get("files", { cookie: await cookieFor("agent") }, id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename\*=UTF-8''/);
    expectPassiveHeaders(response);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it("a real JPEG and a real PNG are shown inline with the type their bytes have, whatever the sender claimed", async () => {
    const jpeg = await get("files", { cookie: await cookieFor("agent") }, await customerSends("photo", "me.jpg", tinyJpeg, "text/html"));
    expect(jpeg.headers.get("content-type")).toBe("image/jpeg");
    expect(jpeg.headers.get("content-disposition")).toMatch(/^inline; /);
    expectPassiveHeaders(jpeg);
    expect(Buffer.from(await jpeg.arrayBuffer())).toEqual(tinyJpeg);

    const png = await get("files", { cookie: await cookieFor("agent") }, await customerSends("document", "scan.png", tinyPng, "application/x-msdownload"));
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("content-disposition")).toBe("inline; filename*=UTF-8''scan.png");
    expectPassiveHeaders(png);
    expect(Buffer.from(await png.arrayBuffer())).toEqual(tinyPng);
  });

  it("a file larger than the sample is streamed whole, its type read from its first bytes", async () => {
    const large = Buffer.concat([tinyPng, Buffer.alloc(300_000, 7)]);
    const response = await get("files", { cookie: await cookieFor("agent") }, await customerSends("photo", "big.png", large, "image/png"));
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("content-length")).toBe(String(large.length));
    expect(Buffer.from(await response.arrayBuffer())).toEqual(large);
  });
});

describe("with a files origin (FILES_PUBLIC_URL)", () => {
  const files = { origin: "https://files.support-usercontent.test", secret };

  it("after the usual access check, the app's route redirects to a short-lived link for exactly that attachment", async () => {
    const response = await get("files", { cookie: await cookieFor("agent") }, messageId, "0", files);
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    expect(location.startsWith(`${files.origin}/files/`)).toBe(true);
    expect(response.headers.get("cache-control")).toBe("private, max-age=240");
    expect(await verifyFileToken(location.slice(`${files.origin}/files/`.length), secret)).toEqual({ tenantId: t.tenant.id, messageId, index: 0 });
  });

  it("signs nothing for strangers or for attachments that do not exist", async () => {
    expect((await get("files", {}, messageId, "0", files)).status).toBe(401);
    expect((await get("files", { authorization: `Bearer ${other.keys.full.key}` }, messageId, "0", files)).status).toBe(404);
    expect((await get("files", { cookie: await cookieFor("agent") }, messageId, "1", files)).status).toBe(404);
  });
});
