import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { startTelegram } from "@/server/test/telegram";
import { callerFor } from "@/server/test/trpc";
import { proxyAttachment } from "./file-proxy";

let database: TestDatabase;
let t: TenantFixture;
let other: TenantFixture;
let telegram: Awaited<ReturnType<typeof startTelegram>>;
let token: string;
let messageId: string;
const secret = "file-proxy-test-secret-long-enough-0000";
const pdf = Buffer.from("%PDF-1.4 pretend invoice");

beforeAll(async () => {
  process.env.APP_SECRET = secret;
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "files");
  other = await createTenantFixture(database.db, "elsewhere");
  telegram = await startTelegram(database);
  token = telegram.emulator.addBot("700006:" + "G".repeat(35), "files_bot").token;
  const { id: channelId } = await callerFor(database, t.as("admin"), { tenantSlug: "files" }).channels.connectTelegram({ token, mode: "webhook" });
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

const cookieFor = async (userId: string) => `next-auth.session-token=${await encode({ token: { uid: userId }, secret, maxAge: 3600 })}`;
const get = (slug: string, headers: Record<string, string>, id = messageId, index = "0") =>
  proxyAttachment(new Request(`http://localhost/api/t/${slug}/files/${id}/${index}`, { headers }), { slug, messageId: id, index }, {
    appDb: database.appDb,
    systemDb: database.db,
    log: createLogger("test", "silent"),
  });

describe("attachment proxy", () => {
  it("streams the file to a member, with its type and name, and never exposes the token", async () => {
    const response = await get("files", { cookie: await cookieFor(t.users.agent.id) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''invoice.pdf");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(pdf);
    expect(JSON.stringify(Object.fromEntries(response.headers))).not.toContain(token);
  });

  it("serves an API key with conversations:read of the same workspace", async () => {
    expect((await get("files", { authorization: `Bearer ${t.keys.read.key}` })).status).toBe(200);
  });

  it("refuses strangers: 401 anonymous, 404 for another workspace's member or key, or a wrong index", async () => {
    expect((await get("files", {})).status).toBe(401);
    expect((await get("files", { cookie: await cookieFor(other.users.owner.id) })).status).toBe(404);
    expect((await get("elsewhere", { cookie: await cookieFor(other.users.owner.id) })).status).toBe(404);
    expect((await get("files", { authorization: `Bearer ${other.keys.full.key}` })).status).toBe(404);
    expect((await get("files", { cookie: await cookieFor(t.users.agent.id) }, messageId, "3")).status).toBe(404);
    expect((await get("files", { cookie: await cookieFor(t.users.agent.id) }, "not-an-id")).status).toBe(404);
  });
});
