import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture } from "@/server/test/fixtures";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";

/**
 * The emulator's customer API over HTTP (what the chat page and the browser
 * tests use): every kind of customer action reaches the inbox through the real
 * webhook, and what the bot sent can be read back.
 */
let database: TestDatabase;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let channelId: string;
const chatId = 7100;

beforeAll(async () => {
  database = await createTestDatabase();
  const t = await createTenantFixture(database.db, "control");
  telegram = await startTelegram(database);
  telegram.emulator.addBot(token, "control_bot");
  channelId = (await callerFor(database, t.as("admin"), { tenantSlug: "control" }).channels.connectTelegram({ token, mode: "webhook" })).id;
});
afterAll(async () => {
  await telegram.stop();
  await database.drop();
});

const chatUrl = (path = "") => `${telegram.apiRoot}/control/bots/control_bot/chats/${chatId}${path}`;
async function act(path: string, body: unknown) {
  const response = await fetch(chatUrl(path), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const token = "700009:" + "K".repeat(35);
async function inbox() {
  await telegram.drained(token);
  return database.db.message.findMany({ where: { conversation: { channelId, externalChatId: String(chatId) } }, orderBy: { createdAt: "asc" } });
}

describe("the emulator's customer API", () => {
  it("sends text, a photo, an album, an edit and a button press, each landing in the inbox", async () => {
    const bytes = Buffer.from("not really a png").toString("base64");
    const text = await act("/messages", { name: "Carla", text: "hello from the API" });
    expect(text).toEqual({ status: 200, body: { ok: true, messageIds: [expect.any(Number)] } });
    expect((await act("/messages", { name: "Carla", text: "the receipt", photo: { name: "receipt.png", base64: bytes, mime: "image/png" } })).status).toBe(200);
    const album = await act("/messages", {
      name: "Carla",
      album: [
        { kind: "photo", name: "a.png", base64: bytes },
        { kind: "photo", name: "b.png", base64: bytes },
      ],
    });
    expect(album.body.messageIds).toHaveLength(2);
    expect((await act("/edits", { messageId: (text.body.messageIds as number[])[0], text: "hello from the API (edited)" })).status).toBe(200);
    const press = await act("/buttons", { messageId: 1, data: "yes" });
    expect(press.body.callbackId).toEqual(expect.any(String));

    const messages = await inbox();
    expect(messages.map((m) => [m.text, (m.attachments as unknown[]).length])).toEqual([
      ["hello from the API (edited)", 0],
      ["the receipt", 1],
      [null, 2],
      ["yes", 0],
    ]);
    expect(messages[0]!.editHistory).toEqual([expect.objectContaining({ text: "hello from the API" })]);
  });

  it("blocks the bot, shows what the customer and the bot wrote, and refuses bad requests with 400", async () => {
    expect((await act("/block", { blocked: true })).status).toBe(200);
    await telegram.drained(token);
    const contact = await database.db.contact.findFirstOrThrow({ where: { identities: { some: { channelId, externalId: String(chatId) } } } });
    expect(contact.blockedAt).not.toBeNull();
    const chat = (await (await fetch(chatUrl())).json()) as { blocked: boolean; messages: { from: string; text: string }[]; callbacks: unknown[] };
    expect(chat.blocked).toBe(true);
    expect(chat.messages.map((m) => m.text)).toContain("hello from the API");
    expect(chat.callbacks).toHaveLength(1);

    expect((await act("/messages", {})).status).toBe(400);
    expect((await act("/messages", { album: [{ kind: "photo", name: "x.png" }] })).status).toBe(400);
    expect((await act("/edits", { text: "no id" })).status).toBe(400);
    expect((await act("/buttons", { messageId: 1 })).status).toBe(400);
    expect((await fetch(`${telegram.apiRoot}/control/bots/nobody_bot/chats/1`)).status).toBe(404);
  });

  it("sends a video, a voice note, audio and a sticker with the fields Telegram gives each: the sender's mime_type, a file_name where Telegram has one", async () => {
    const other = 7200;
    const send = (body: unknown) =>
      fetch(`${telegram.apiRoot}/control/bots/control_bot/chats/${other}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const file = (name: string, mime: string) => ({ name, base64: Buffer.from(`<html>${name}</html>`).toString("base64"), mime });
    for (const body of [
      { video: file("clip.mp4", "video/mp4"), text: "a clip" },
      { voice: file("note.ogg", "text/html") },
      { audio: file("song.mp3", "audio/mpeg") },
      { sticker: file("hi.webp", "image/webp") },
    ]) {
      expect((await send({ name: "Dora", ...body })).status).toBe(200);
    }
    expect((await send({ album: [{ kind: "voice", ...file("a.ogg", "audio/ogg") }, { kind: "voice", ...file("b.ogg", "audio/ogg") }] })).status).toBe(400);
    await telegram.drained(token);
    const messages = await database.db.message.findMany({ where: { conversation: { channelId, externalChatId: String(other) } }, orderBy: { createdAt: "asc" } });
    expect(messages.map((m) => (m.attachments as Record<string, unknown>[])[0])).toEqual([
      expect.objectContaining({ kind: "video", fileName: "clip.mp4", mimeType: "video/mp4" }),
      expect.objectContaining({ kind: "voice", mimeType: "text/html", duration: 3 }),
      expect.objectContaining({ kind: "audio", fileName: "song.mp3", mimeType: "audio/mpeg" }),
      expect.objectContaining({ kind: "sticker", emoji: "🙂" }),
    ]);
    expect(messages[1]!.attachments).not.toEqual([expect.objectContaining({ fileName: expect.anything() })]);
    expect(messages[0]!.text).toBe("a clip");
  });
});
