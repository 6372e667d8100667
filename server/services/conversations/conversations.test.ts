import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { refusal } from "@/server/test/refusal";
import { callerFor } from "@/server/test/trpc";
import type { Prisma } from "@/server/db/generated/client";
import { searchQuery } from "./conversations";

let database: TestDatabase;
let t: TenantFixture;
let other: TenantFixture;
let widget: { id: string; name: string };
const ids: Record<string, string> = {};
const widgetIdentity = { pageUrl: "https://shop.example.com/cart", referrer: "javascript:alert(1)", browser: "Firefox 133", locale: "de-DE", verifiedId: "user-42", fields: { order: "5521" } };

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "inbox");
  other = await createTenantFixture(database.db, "inbox-other");
  const db = database.db;
  const conversation = async (name: string, data: { status?: "open" | "pending" | "snoozed" | "resolved"; assigneeId?: string; labels?: string[]; minutesAgo: number; text?: string; channelId?: string; email?: string; identity?: Prisma.InputJsonObject }) => {
    const contact = await db.contact.create({ data: { tenantId: t.tenant.id, name, username: name.toLowerCase().replace(/\s/g, "_"), email: data.email } });
    const channelId = data.channelId ?? t.rows.channel.id;
    if (data.identity) await db.contactIdentity.create({ data: { tenantId: t.tenant.id, contactId: contact.id, channelId, externalId: `visitor-${name}`, details: data.identity } });
    const at = new Date(Date.now() - data.minutesAgo * 60_000);
    const created = await db.conversation.create({
      data: { tenantId: t.tenant.id, channelId, contactId: contact.id, externalChatId: `chat-${name}`, status: data.status ?? "open", assigneeId: data.assigneeId, labels: data.labels ?? [], lastMessageAt: at, lastMessagePreview: data.text ?? null, unreadCount: 2 },
    });
    if (data.text) await db.message.create({ data: { tenantId: t.tenant.id, conversationId: created.id, direction: "inbound", senderType: "contact", text: data.text, deliveryStatus: "received", createdAt: at } });
    ids[name] = created.id;
  };
  await conversation("Olga Petrova", { minutesAgo: 1, text: "Где мой заказ? order 5521", labels: ["vip"] });
  await conversation("Bruno Diaz", { minutesAgo: 2, assigneeId: t.users.agent.id, text: "refund please" });
  await conversation("Chen Wei", { minutesAgo: 3, status: "pending", text: "the parcel arrived damaged" });
  await conversation("Dana Scully", { minutesAgo: 4, status: "resolved", assigneeId: t.users.agent.id, text: "thanks, all good" });
  // The website widget is a second kind of channel; only its core columns matter to the inbox.
  widget = await db.channel.create({ data: { tenantId: t.tenant.id, type: "web_widget", name: "Website chat", status: "active" } });
  await conversation("Wanda Webb", { minutesAgo: 5, text: "is there a discount?", channelId: widget.id, email: "wanda@example.com", identity: widgetIdentity });
  await database.db.message.create({ data: { tenantId: other.tenant.id, conversationId: other.rows.conversation.id, direction: "inbound", senderType: "contact", text: "zanzibar", deliveryStatus: "received" } });
  await database.db.message.create({ data: { tenantId: t.tenant.id, conversationId: ids["Chen Wei"]!, direction: "outbound", senderType: "agent", isPrivate: true, text: "internal: suspect fraud", deliveryStatus: "sent" } });
});
afterAll(async () => {
  await database.drop();
});

const agent = () => callerFor(database, t.as("agent"), { tenantSlug: "inbox" });
const names = (result: { items: { contact: { name: string } }[] }) => result.items.map((item) => item.contact.name);

describe("conversations.list", () => {
  it("lists a status tab newest first, with counts per status for the view", async () => {
    const open = await agent().conversations.list({ view: "all", status: "open" });
    expect(names(open).slice(0, 2)).toEqual(["Olga Petrova", "Bruno Diaz"]);
    expect(open.counts).toMatchObject({ open: 4, pending: 1, resolved: 1, snoozed: 0 }); // the fixture's own conversation is open too
    expect(names(await agent().conversations.list({ view: "all", status: "pending" }))).toEqual(["Chen Wei"]);
    const row = open.items[0]!;
    expect(row).toMatchObject({ lastMessagePreview: "Где мой заказ? order 5521", unreadCount: 2, labels: ["vip"], assignee: null, contact: { name: "Olga Petrova", username: "olga_petrova" } });
  });

  it("says on each row which channel it came through: id, name, kind and status", async () => {
    const open = await agent().conversations.list({ view: "all", status: "open" });
    const channelOf = (name: string) => open.items.find((item) => item.contact.name === name)?.channel;
    expect(channelOf("Olga Petrova")).toEqual({ id: t.rows.channel.id, name: t.rows.channel.name, kind: "telegram", status: t.rows.channel.status });
    expect(channelOf("Wanda Webb")).toEqual({ id: widget.id, name: "Website chat", kind: "web_widget", status: "active" });
  });

  it("filters by channel kind, with the counts of that kind, and pages within it", async () => {
    const web = await agent().conversations.list({ view: "all", status: "open", channelKind: "web_widget" });
    expect(names(web)).toEqual(["Wanda Webb"]);
    expect(web.counts).toEqual({ open: 1, pending: 0, snoozed: 0, resolved: 0 });
    const telegram = await agent().conversations.list({ view: "all", status: "open", channelKind: "telegram" });
    expect(names(telegram)).not.toContain("Wanda Webb");
    expect(telegram.counts).toMatchObject({ open: 3, pending: 1, resolved: 1 });
    expect(telegram.items.every((item) => item.channel.kind === "telegram")).toBe(true);
    // Combined with the other filters, and a kind no channel has.
    expect(names(await agent().conversations.list({ view: "all", status: "open", channelKind: "web_widget", search: "discount" }))).toEqual(["Wanda Webb"]);
    expect(names(await agent().conversations.list({ view: "all", status: "open", channelKind: "telegram", search: "discount" }))).toEqual([]);
    expect((await agent().conversations.list({ view: "all", status: "open", channelKind: "email" })).items).toEqual([]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await agent().conversations.list({ view: "all", status: "open", channelKind: "telegram", limit: 1, cursor });
      seen.push(...page.items.map((item) => item.contact.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(names(telegram));
  });

  it("refuses a channel kind longer than 40 characters, naming the field", async () => {
    expect(await refusal(agent().conversations.list({ view: "all", status: "open", channelKind: "x".repeat(41) }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { channelKind: [expect.any(String)] } });
  });

  it("has the views Mine and Unassigned, and filters by label and channel", async () => {
    const mine = await agent().conversations.list({ view: "mine", status: "open" });
    expect(names(mine)).toEqual(["Bruno Diaz"]);
    expect(mine.counts).toMatchObject({ open: 1, resolved: 1 });
    expect(names(await agent().conversations.list({ view: "unassigned", status: "open" }))).not.toContain("Bruno Diaz");
    expect(names(await agent().conversations.list({ view: "all", status: "open", label: "vip" }))).toEqual(["Olga Petrova"]);
    expect((await agent().conversations.list({ view: "all", status: "open", channelId: other.rows.channel.id })).items).toEqual([]);
  });

  it("searches contact names and message text by word prefix, in any script, never private notes", async () => {
    const search = async (text: string, status: "open" | "pending" | "resolved" = "open") => names(await agent().conversations.list({ view: "all", status, search: text }));
    expect(await search("olg")).toEqual(["Olga Petrova"]);
    expect(await search("заказ")).toEqual(["Olga Petrova"]);
    expect(await search("refun")).toEqual(["Bruno Diaz"]);
    expect(await search("parcel damaged", "pending")).toEqual(["Chen Wei"]);
    expect(await search("fraud", "pending")).toEqual([]);
    expect(await search("zanzibar")).toEqual([]); // only in the other workspace
    expect(await search("'); DROP TABLE \"Message\"; --")).toEqual([]);
    expect(await search("!!!")).toEqual([]);
  });

  it("pages with a cursor, each conversation once", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await agent().conversations.list({ view: "all", status: "open", limit: 1, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    await expect(agent().conversations.list({ view: "all", status: "open", cursor: "garbage" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses a forged cursor with BAD_REQUEST on the cursor field, whatever it holds", async () => {
    const encoded = (json: string) => Buffer.from(json).toString("base64url");
    const someId = "00000000-0000-4000-8000-000000000000";
    const forged = {
      garbage: "!!!not a cursor!!!",
      "base64 of what is not JSON": encoded("not json"),
      "JSON of the wrong shape": encoded('["at","id"]'),
      "an id that is not a uuid": encoded(JSON.stringify({ at: null, id: "' OR 1=1 --" })),
      "a date that is not one": encoded(JSON.stringify({ at: "garbage", id: someId })),
      "February 30th": encoded(JSON.stringify({ at: "2024-02-30T00:00:00.000Z", id: someId })),
      "year 0": encoded(JSON.stringify({ at: "0000-01-01T00:00:00.000Z", id: someId })),
      "year 275760": encoded(JSON.stringify({ at: "+275760-09-13T00:00:00.000Z", id: someId })),
    };
    for (const [what, cursor] of Object.entries(forged)) {
      expect(await refusal(agent().conversations.list({ view: "all", status: "open", cursor })), what).toEqual({
        code: "BAD_REQUEST",
        fieldErrors: { cursor: ["this cursor is not one the list returned; start from the first page"] },
      });
    }
  });

  it("turns typed words into a prefix query and nothing else", () => {
    expect(searchQuery("Hello, wörld 42!")).toBe("hello:* & wörld:* & 42:*");
    expect(searchQuery("&|!:*()")).toBeNull();
  });
});

describe("conversations.update and markRead", () => {
  it("assigns, resolves and reopens, snoozes and labels, each an event agents see", async () => {
    const id = ids["Olga Petrova"]!;
    const assigned = await agent().conversations.update({ id, assigneeId: t.users.agent.id });
    expect(assigned.assignee).toEqual({ id: t.users.agent.id, name: t.users.agent.name });
    const resolved = await agent().conversations.update({ id, status: "resolved" });
    expect(resolved.status).toBe("resolved");
    expect(names(await agent().conversations.list({ view: "all", status: "resolved" }))).toContain("Olga Petrova");
    await expect(agent().conversations.update({ id, status: "snoozed" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent().conversations.update({ id, status: "snoozed", snoozedUntil: new Date(Date.now() - 1000) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const until = new Date(Date.now() + 3_600_000);
    expect(await agent().conversations.update({ id, status: "snoozed", snoozedUntil: until })).toMatchObject({ status: "snoozed", snoozedUntil: until });
    expect(await agent().conversations.update({ id, status: "open", labels: ["vip", "refund", "vip"] })).toMatchObject({ status: "open", snoozedUntil: null, labels: ["vip", "refund"] });
    const events = await database.db.event.findMany({ where: { conversationId: id }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.type)).toEqual(["assignee.changed", "conversation.status_changed", "conversation.status_changed", "conversation.status_changed", "conversation.updated"]);
    expect(events[1]!.payload).toMatchObject({ previousStatus: "open", conversation: { id, status: "resolved" }, by: t.users.agent.id });
  });

  it("refuses a snooze that is not in the coming year — year 275760 included — and stores nothing", async () => {
    const id = ids["Bruno Diaz"]!;
    const before = await database.db.conversation.findUniqueOrThrow({ where: { id } });
    const snooze = (snoozedUntil: Date | string | number) => agent().conversations.update({ id, status: "snoozed", snoozedUntil: snoozedUntil as Date });
    for (const until of [new Date(8.64e15), "+275760-09-13T00:00:00.000Z", new Date(Date.now() + 400 * 86_400_000), new Date("0000-01-01T00:00:00.000Z"), new Date(Date.now() - 60_000)]) {
      const refused = await refusal(snooze(until));
      expect(refused.code, String(until)).toBe("BAD_REQUEST");
      expect(Object.keys(refused.fieldErrors), String(until)).toEqual(["snoozedUntil"]);
    }
    expect(await database.db.conversation.findUniqueOrThrow({ where: { id } })).toEqual(before);
    // A week ahead is fine.
    expect(await snooze(new Date(Date.now() + 7 * 86_400_000))).toMatchObject({ status: "snoozed" });
    await agent().conversations.update({ id, status: "open" });
  });

  it("refuses oversized labels, and too many, naming the field", async () => {
    const id = ids["Bruno Diaz"]!;
    // The field is named by its dotted path: the one label, or the list.
    for (const [labels, field] of [[["ok", "x".repeat(41)], "labels.1"], [["x".repeat(100_000)], "labels.0"], [Array.from({ length: 21 }, (_, i) => `label-${i}`), "labels"]] as const) {
      expect(await refusal(agent().conversations.update({ id, labels: [...labels] }))).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { [field]: [expect.any(String)] } });
    }
    expect((await database.db.conversation.findUniqueOrThrow({ where: { id } })).labels).toEqual([]);
  });

  it("refuses an assignee from another workspace, and bad labels, with the field named", async () => {
    const id = ids["Bruno Diaz"]!;
    await expect(agent().conversations.update({ id, assigneeId: other.users.agent.id })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "that person is not a member of this workspace" });
    await expect(agent().conversations.update({ id, labels: ["a,b"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await agent().conversations.update({ id, assigneeId: null })).toMatchObject({ assignee: null });
  });

  it("markRead clears the unread count once, with one event", async () => {
    const id = ids["Chen Wei"]!;
    expect((await agent().conversations.markRead({ id })).unreadCount).toBe(0);
    await agent().conversations.markRead({ id });
    expect(await database.db.event.count({ where: { conversationId: id, type: "conversation.updated" } })).toBe(1);
  });

  it("get returns the contact panel: identities and previous conversations", async () => {
    const conversation = await agent().conversations.get({ id: ids["Dana Scully"]! });
    expect(conversation.contact).toMatchObject({ name: "Dana Scully", username: "dana_scully" });
    expect(conversation.contact.conversations.map((c) => c.id)).toContain(ids["Dana Scully"]);
    expect(conversation.channel).toEqual({ id: t.rows.channel.id, name: t.rows.channel.name, kind: "telegram", status: t.rows.channel.status });
  });

  it("get returns a widget visitor's email and what the widget knows of them, as stored", async () => {
    const conversation = await agent().conversations.get({ id: ids["Wanda Webb"]! });
    expect(conversation.channel).toEqual({ id: widget.id, name: "Website chat", kind: "web_widget", status: "active" });
    expect(conversation.contact.email).toBe("wanda@example.com");
    expect(conversation.contact.identities).toEqual([{ channelId: widget.id, externalId: "visitor-Wanda Webb", username: null, details: widgetIdentity }]);
  });
});
