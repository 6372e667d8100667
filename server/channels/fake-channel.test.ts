import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenantSql } from "@/server/db/app-pool";
import { createLogger } from "@/server/logger";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { callerFor } from "@/server/test/trpc";
import type { ChannelAdapter, InboundEvent, OutboundMessage, SendOutcome } from "./contract";
import { deliverMessage, RetryLater } from "./core/deliver";
import { ingestInbound } from "./core/intake";
import { createSendLimits, type SendLimits } from "./core/send-limits";
import { registerAdapter } from "./registry";

/**
 * A channel kind made up here, in the test, and nowhere else: registered at run
 * time, stored as an ordinary Channel row, spoken to only through the contract.
 * Its traffic reaches the inbox and the routers, and the team's replies leave
 * through it, with no line of the core, the routers or the inbox knowing it.
 */
const sent: OutboundMessage[] = [];
const typed: string[] = [];
let nextOutcome: SendOutcome[] = [];

const fakeAdapter: ChannelAdapter<{ kind: "fake"; pigeons: number }> = {
  kind: "fake",
  capabilities: { attachments: [], edits: false, deletes: false, typing: true, buttons: false, readReceipts: false, textLimit: 100 },
  sendLimits: { perCoop: { points: 100, durationSeconds: 1 } },
  describe: async () => ({ kind: "fake", pigeons: 3 }),
  send: async (context, outbound) => {
    await context.takeTurn([{ limiter: "perCoop", key: outbound.conversation.externalChatId }]);
    sent.push(outbound);
    return nextOutcome.shift() ?? { status: "sent", externalId: `pigeon-${sent.length}` };
  },
  typing: async (_db, target) => {
    typed.push(target.conversation.externalChatId);
    return true;
  },
};

let database: TestDatabase;
let t: TenantFixture;
let channelId: string;
let limits: SendLimits;
let unregister: () => void;
const log = createLogger("test", "silent");

beforeAll(async () => {
  unregister = registerAdapter(fakeAdapter);
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "fake");
  channelId = (await database.db.channel.create({ data: { tenantId: t.tenant.id, type: "fake", name: "Carrier pigeons", status: "active" } })).id;
  limits = createSendLimits({ databaseUrl: database.url });
});
afterAll(async () => {
  unregister();
  await limits.close();
  await database.drop();
});

const inbound = (event: InboundEvent) => withTenantSql(database.appPool, t.tenant.id, (client) => ingestInbound(client, { tenantId: t.tenant.id, channelId }, event));
const agent = () => callerFor(database, t.as("agent"), { tenantSlug: t.tenant.slug });
const message = (key: string, text: string): InboundEvent => ({
  kind: "message",
  dedupeKey: key,
  chat: { id: "coop-7" },
  identity: { externalId: "pigeon-keeper", name: "Pia Keeper", email: "pia@example.com", details: { coop: "north" } },
  externalId: `m-${key}`,
  text,
  attachments: [],
  content: {},
  sentAt: new Date(),
});

describe("a channel kind added without touching the core, the inbox or the routers", () => {
  it("takes its customer's messages into one conversation, once each, with the contact it names", async () => {
    expect(await inbound(message("1", "Coo?"))).toBe("ok");
    expect(await inbound(message("1", "Coo?"))).toBe("duplicate");
    expect(await inbound(message("2", "Coo coo"))).toBe("ok");

    const { items: conversations } = await agent().conversations.list({ status: "open" });
    const conversation = conversations.find((c) => c.channelId === channelId)!;
    expect(conversation).toMatchObject({ lastMessagePreview: "Coo coo", unreadCount: 2 });
    const { messages } = await agent().messages.list({ conversationId: conversation.id });
    expect(messages.map((m) => m.text)).toEqual(["Coo?", "Coo coo"]);
    const identity = await database.db.contactIdentity.findFirstOrThrow({ where: { channelId }, include: { contact: true } });
    expect(identity).toMatchObject({ externalId: "pigeon-keeper", details: { coop: "north" }, contact: { name: "Pia Keeper", email: "pia@example.com" } });
    const events = await database.db.event.findMany({ where: { tenantId: t.tenant.id, conversationId: conversation.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["conversation.created", "message.created", "message.created"]);
  });

  it("is listed with its own details and capabilities by channels.list", async () => {
    const listed = (await callerFor(database, t.as("admin"), { tenantSlug: t.tenant.slug }).channels.list()).find((c) => c.id === channelId);
    expect(listed).toMatchObject({ kind: "fake", name: "Carrier pigeons", details: { kind: "fake", pigeons: 3 }, capabilities: { typing: true, attachments: [] } });
  });

  it("sends the team's reply through the adapter, and records what the adapter answered", async () => {
    const conversation = await database.db.conversation.findFirstOrThrow({ where: { channelId } });
    const reply = await agent().messages.send({ conversationId: conversation.id, text: "Bring seeds", isPrivate: false });
    const job = { tenantId: t.tenant.id, messageId: reply.id };

    nextOutcome = [{ status: "retry", reason: "the coop is closed" }];
    await expect(deliverMessage({ appDb: database.appDb, limits, log }, job, { number: 1, max: 5 })).rejects.toBeInstanceOf(RetryLater);
    expect(await deliverMessage({ appDb: database.appDb, limits, log }, job, { number: 2, max: 5 })).toBe("sent");

    expect(sent.at(-1)).toMatchObject({ channelId, conversation: { id: conversation.id, externalChatId: "coop-7" }, message: { id: reply.id, text: "Bring seeds" } });
    expect(await database.db.message.findUniqueOrThrow({ where: { id: reply.id } })).toMatchObject({ deliveryStatus: "sent", externalId: "pigeon-2" });
  });

  it("fails a reply for good with the reason the adapter gave, and never sends it again", async () => {
    const conversation = await database.db.conversation.findFirstOrThrow({ where: { channelId } });
    const reply = await agent().messages.send({ conversationId: conversation.id, text: "Fly home", isPrivate: false });
    nextOutcome = [{ status: "permanent", reason: "the pigeon retired" }];
    const before = sent.length;
    expect(await deliverMessage({ appDb: database.appDb, limits, log }, { tenantId: t.tenant.id, messageId: reply.id }, { number: 1, max: 5 })).toBe("failed");
    expect(await deliverMessage({ appDb: database.appDb, limits, log }, { tenantId: t.tenant.id, messageId: reply.id }, { number: 2, max: 5 })).toBe("skipped");
    expect(sent.length).toBe(before + 1);
    expect(await database.db.message.findUniqueOrThrow({ where: { id: reply.id } })).toMatchObject({ deliveryStatus: "failed", deliveryError: "the pigeon retired" });
  });

  it("refuses files on a reply when the kind carries none, and forwards the agent's typing", async () => {
    const conversation = await database.db.conversation.findFirstOrThrow({ where: { channelId } });
    const upload = await database.db.upload.create({ data: { tenantId: t.tenant.id, fileName: "seed.png", mimeType: "image/png", size: 3, bytes: new Uint8Array([1, 2, 3]) } });
    await expect(agent().messages.send({ conversationId: conversation.id, attachments: [{ uploadId: upload.id }], isPrivate: false })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await agent().messages.typing({ conversationId: conversation.id })).toEqual({ sent: true });
    expect(typed).toEqual(["coop-7"]);
  });
});
