import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "@/server/db/tenant-scope";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { updateSettings } from "@/server/services/settings/settings";
import { applyReportEvents, readReportEvents, rebuildReports } from "./maintain";

/**
 * The reports' store on a real PostgreSQL: kept up incrementally from the event log in batches (as
 * the worker's follower does, replays included) it holds exactly what a rebuild from the same log
 * makes — over a randomized history of over 10,000 events.
 */
let database: TestDatabase;
let t: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "reports");
  other = await createTenantFixture(database.db, "reports-other");
  // Business hours in a zone with daylight saving, so business time is computed, not copied.
  const days = { mon: [{ from: "09:00", to: "18:00" }], tue: [{ from: "09:00", to: "18:00" }], wed: [{ from: "09:00", to: "13:00" }, { from: "14:00", to: "18:00" }], thu: [{ from: "09:00", to: "18:00" }], fri: [{ from: "09:00", to: "17:00" }], sat: [], sun: [] };
  await withTenant(database.appDb, t.tenant.id, (db) =>
    updateSettings(db, { tenantId: t.tenant.id, changes: { timeZone: "Europe/Berlin", businessHours: { enabled: true, days } }, actor: { userId: t.users.owner.id } }),
  );
  // The fixtures' own report rows are not of this history.
  await database.db.reportFact.deleteMany({});
  await database.db.reportState.deleteMany({});
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

const agents = () => [t.users.owner.id, t.users.admin.id, t.users.agent.id];

type Plan = { conversation: number; action: number; agent: number; gapMinutes: number }[];

async function insertHistory(plan: Plan): Promise<number> {
  const conversationIds: string[] = [];
  for (let i = 0; i < 60; i++) {
    const conversation = await database.db.conversation.create({ data: { tenantId: t.tenant.id, channelId: t.rows.channel.id, contactId: t.rows.contact.id, externalChatId: `r${i}` } });
    conversationIds.push(conversation.id);
  }
  const status = new Map<string, string>();
  const created = new Set<string>();
  let clock = Date.parse("2026-03-20T08:00:00Z"); // across Europe's spring change on 2026-03-29
  const rows: { type: string; conversationId: string; payload: object; createdAt: Date }[] = [];
  for (const step of plan) {
    clock += step.gapMinutes * 60_000;
    const id = conversationIds[step.conversation % conversationIds.length]!;
    const at = new Date(clock);
    const agent = agents()[step.agent % 3]!;
    const push = (type: string, payload: object) => rows.push({ type, conversationId: id, payload, createdAt: at });
    if (!created.has(id)) {
      created.add(id);
      status.set(id, "open");
      push("conversation.created", { conversation: { id, channelId: t.rows.channel.id, teamId: null, assigneeId: null, labels: [], status: "open", createdAt: at.toISOString() } });
      continue;
    }
    const message = (fields: object) => push("message.created", { message: { id: crypto.randomUUID(), isPrivate: false, senderUserId: null, createdAt: at.toISOString(), ...fields } });
    const now = status.get(id)!;
    switch (step.action % 10) {
      case 0:
      case 1:
      case 2:
        if (now === "resolved") {
          // A customer writing to a resolved conversation reopens it first, as intake does.
          status.set(id, "open");
          push("conversation.status_changed", { conversationId: id, status: "open", previousStatus: "resolved", reason: "customer wrote" });
        }
        message({ direction: "inbound", senderType: "contact" });
        break;
      case 3:
      case 4:
        message({ direction: "outbound", senderType: "agent", senderUserId: agent });
        break;
      case 5:
        message({ direction: "outbound", senderType: "agent", senderUserId: agent, isPrivate: true });
        break;
      case 6:
        message({ direction: "outbound", senderType: "bot", content: { autoReply: "away" } });
        break;
      case 7: {
        const next = now === "resolved" ? "open" : step.agent % 2 ? "resolved" : "snoozed";
        status.set(id, next);
        push("conversation.status_changed", { conversation: { id, status: next }, status: next, previousStatus: now });
        break;
      }
      case 8:
        push("assignee.changed", { conversation: { id, assignee: { id: agent } }, previousAssigneeId: null, reason: "manual" });
        break;
      case 9:
        if (step.agent % 2) push("team.changed", { conversation: { id, team: { id: t.rows.team.id } }, previousTeamId: null, by: null });
        else push("conversation.updated", { conversation: { id, labels: step.gapMinutes % 2 ? ["vip"] : ["billing", "vip"] } });
        break;
    }
  }
  // Another workspace's events in between: neither its incremental run nor the rebuild may read them.
  await database.db.event.create({ data: { tenantId: other.tenant.id, type: "message.created", conversationId: other.rows.conversation.id, payload: { message: { direction: "inbound", senderType: "contact", isPrivate: false, createdAt: new Date().toISOString() } } } });
  for (let start = 0; start < rows.length; start += 2000) {
    await database.db.event.createMany({ data: rows.slice(start, start + 2000).map((row) => ({ tenantId: t.tenant.id, ...row })) });
  }
  return rows.length;
}

const snapshot = async () => ({
  facts: (await database.db.reportFact.findMany({ where: { tenantId: t.tenant.id }, orderBy: [{ eventId: "asc" }, { kind: "asc" }] })).map((fact) => JSON.stringify(fact, (_, value) => (typeof value === "bigint" ? value.toString() : value))),
  states: (await database.db.reportState.findMany({ where: { tenantId: t.tenant.id }, orderBy: { conversationId: "asc" }, select: { conversationId: true, lastEventId: true, state: true } })).map((row) => JSON.stringify({ ...row, lastEventId: row.lastEventId.toString() })),
});

describe("the reports' store", () => {
  it("kept up incrementally, replays included, equals a rebuild from the log over a randomized history of over 10,000 events", async () => {
    const plan = fc.sample(fc.record({ conversation: fc.nat(59), action: fc.nat(9), agent: fc.nat(5), gapMinutes: fc.integer({ min: 0, max: 240 }) }), { numRuns: 10_000, seed: 20261208 });
    // 10,000 steps, and the reopens a customer's message causes on the way.
    const written = await insertHistory(plan);
    expect(written).toBeGreaterThanOrEqual(10_000);
    const logged = await database.db.event.count({ where: { tenantId: t.tenant.id } });

    // Incrementally, in batches of uneven size, each batch in its own transaction; every fifth batch replayed, as after a crash.
    const batchSizes = fc.sample(fc.integer({ min: 1, max: 400 }), { numRuns: 200, seed: 7 });
    let afterId = 0n;
    let batches = 0;
    for (;;) {
      const events = await withTenant(database.appDb, t.tenant.id, (db) => readReportEvents(db, { tenantId: t.tenant.id, afterId, limit: batchSizes[batches % batchSizes.length]! }));
      if (events.length === 0) break;
      await withTenant(database.appDb, t.tenant.id, (db) => applyReportEvents(db, { tenantId: t.tenant.id, events }));
      if (batches % 5 === 0) {
        const again = await withTenant(database.appDb, t.tenant.id, (db) => applyReportEvents(db, { tenantId: t.tenant.id, events }));
        expect(again.facts).toBe(0);
      }
      afterId = events.at(-1)!.id;
      batches++;
    }
    const incremental = await snapshot();
    expect(incremental.facts.length).toBeGreaterThan(5000);
    // Every kind of fact occurs in the history, with business time that differs from calendar time.
    const kinds = new Set(incremental.facts.map((fact) => JSON.parse(fact).kind));
    expect([...kinds].sort()).toEqual(["conversation_created", "first_response", "message_in", "message_out", "next_reply", "reopen", "resolution"]);
    const timed = incremental.facts.map((fact) => JSON.parse(fact)).filter((fact) => fact.millis !== null);
    expect(timed.some((fact) => Number(fact.businessMillis) < Number(fact.millis))).toBe(true);

    const progress: number[] = [];
    const rebuilt = await withTenant(database.appDb, t.tenant.id, (db) => rebuildReports(db, { tenantId: t.tenant.id, pageSize: 3000, onProgress: (read) => progress.push(read) }));
    expect(rebuilt.events).toBe(logged);
    expect(progress).toEqual([3000, 6000, 9000, logged]);
    const fromRebuild = await snapshot();
    expect(fromRebuild.facts).toEqual(incremental.facts);
    expect(fromRebuild.states).toEqual(incremental.states);
    // The other workspace's event made nothing here, and nothing of its own.
    expect(await database.db.reportFact.count({ where: { tenantId: other.tenant.id } })).toBe(0);
  }, 120_000);
});
