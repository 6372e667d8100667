import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/server/db/tenant-scope";
import { createLogger } from "@/server/logger";
import { rebuildReports } from "@/server/services/reports/maintain";
import { startPipeline, type Pipeline } from "@/server/test/pipeline";
import { callerFor } from "@/server/test/trpc";
import { startReportsFollower } from "./reports-follower";

/**
 * The reports' follower as the worker runs it, twice (two workers at once), on real events: a
 * customer's Telegram messages through the emulator and the webhook, an agent's note and replies
 * and the resolution through tRPC, the customer's return reopening the conversation.
 */
let p: Pipeline;
const followers: ReturnType<typeof startReportsFollower>[] = [];
const slug = "reports-follow";

beforeAll(async () => {
  p = await startPipeline({ slug, botId: 707401 });
  for (let i = 0; i < 2; i++) {
    const follower = startReportsFollower({ connectionString: p.database.url, systemPool: p.database.systemPool, appDb: p.database.appDb, log: createLogger("test", "silent"), pollMs: 60_000 });
    await follower.ready;
    followers.push(follower);
  }
}, 60_000);
afterAll(async () => {
  for (const follower of followers) await follower.stop();
  await p?.stop();
});

const as = (role: "owner" | "agent") => callerFor(p.database, p.t.as(role), { tenantSlug: slug });
/** Both workers read the log at once. */
const settle = () => Promise.all(followers.map((follower) => follower.readNow()));

async function customerWrites(chat: number, text: string): Promise<string> {
  p.telegram.emulator.customerMessage(p.token, { chat: { id: chat, type: "private", first_name: "Customer" }, from: { id: chat, is_bot: false, first_name: "Customer" }, content: { text } });
  await p.telegram.drained(p.token);
  return (await p.database.db.conversation.findFirstOrThrow({ where: { tenantId: p.t.tenant.id, externalChatId: String(chat) } })).id;
}

const factsOf = (conversationId: string) =>
  p.database.db.reportFact.findMany({ where: { conversationId }, orderBy: [{ eventId: "asc" }, { kind: "asc" }], select: { kind: true, cycle: true, agentId: true, millis: true, since: true, at: true } });

describe("the reports' follower", () => {
  it("makes each fact once from the log, with two workers following it at once, and a rebuild makes the same", async () => {
    const conversationId = await customerWrites(9301, "My parcel is lost");
    await settle();
    await as("agent").messages.send({ conversationId, text: "Checking with the courier", isPrivate: true });
    await as("agent").messages.send({ conversationId, text: "Found it, arriving tomorrow" });
    await customerWrites(9301, "Thanks! And the invoice?");
    await as("agent").messages.send({ conversationId, text: "Invoice attached" });
    await as("owner").conversations.update({ id: conversationId, status: "resolved" });
    await settle();
    await customerWrites(9301, "One more thing");
    await settle();

    const facts = await factsOf(conversationId);
    expect(facts.map((fact) => `${fact.kind} ${fact.cycle}`)).toEqual([
      "conversation_created 0",
      "message_in 0",
      "message_out 0",
      "first_response 0",
      "message_in 0",
      "message_out 0",
      "next_reply 0",
      "resolution 0",
      "reopen 1",
      "message_in 1",
    ]);
    const first = facts.find((fact) => fact.kind === "first_response")!;
    expect(first.agentId).toBe(p.t.users.agent.id);
    expect(Number(first.millis)).toBe(first.at.getTime() - first.since!.getTime());
    expect(Number(first.millis)).toBeGreaterThan(0);

    const before = await p.database.db.reportFact.findMany({ where: { tenantId: p.t.tenant.id }, orderBy: [{ eventId: "asc" }, { kind: "asc" }] });
    await withTenant(p.database.appDb, p.t.tenant.id, (db) => rebuildReports(db, { tenantId: p.t.tenant.id }));
    const after = await p.database.db.reportFact.findMany({ where: { tenantId: p.t.tenant.id }, orderBy: [{ eventId: "asc" }, { kind: "asc" }] });
    // The fixture's own fact is of an event the rebuild reads no message from; everything else is made again as it was.
    expect(after).toEqual(before.filter((fact) => fact.eventId !== p.t.rows.reportFact.eventId));
  });

  it("on its first run counts the history written before it ran", async () => {
    const before = await p.database.db.reportFact.findMany({ where: { tenantId: p.t.tenant.id }, orderBy: [{ eventId: "asc" }, { kind: "asc" }] });
    expect(before.length).toBeGreaterThan(5);
    for (const follower of followers.splice(0)) await follower.stop();
    // As on a database that has never had the follower: no place saved, no facts, no states.
    await p.database.db.eventFollower.deleteMany({ where: { name: "reports" } });
    await p.database.db.reportFact.deleteMany({});
    await p.database.db.reportState.deleteMany({});
    const fresh = startReportsFollower({ connectionString: p.database.url, systemPool: p.database.systemPool, appDb: p.database.appDb, log: createLogger("test", "silent"), pollMs: 60_000 });
    followers.push(fresh);
    await fresh.ready;
    await fresh.readNow();
    const after = await p.database.db.reportFact.findMany({ where: { tenantId: p.t.tenant.id }, orderBy: [{ eventId: "asc" }, { kind: "asc" }] });
    expect(after).toEqual(before.filter((fact) => fact.eventId !== p.t.rows.reportFact.eventId));
  });
});
