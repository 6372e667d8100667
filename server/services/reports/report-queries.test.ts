import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { ReportFilter } from "@/lib/reports/filters";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { createTenantFixture, type TenantFixture } from "@/server/test/fixtures";
import { updateSettings } from "@/server/services/settings/settings";
import { parse } from "csv-parse/sync";
import { encode } from "next-auth/jwt";
import { csvStream, reportRows } from "./export-report";
import { rebuildReports } from "./maintain";
import { serveReportExport } from "./serve-export";
import { reportBreakdown, reportConversations, reportOverview, reportSummary, reportTimeseries, type ReportViewer } from "./report-queries";

/**
 * The reports' queries over a small history whose figures are worked out by hand, in a workspace
 * in Berlin open Monday to Friday 09:00–18:00:
 * - c1 (team, label vip): Monday 2 March 09:00 Berlin the customer writes, Ann answers in 10 min,
 *   the customer again 10 min later, Ann in 30 min, resolved an hour after the first message;
 * - c2: Friday 6 March 17:30 Berlin the customer writes, Bob answers Monday 09:30 — 64 hours, but
 *   one business hour (17:30–18:00 and 09:00–09:30);
 * - c3: Tuesday 10 March, Ann answers in 20 min, the customer writes again and waits.
 */
let database: TestDatabase;
let t: TenantFixture;
const ids = { c1: "", c2: "", c3: "" };
const all: ReportViewer = { all: true };
const range: ReportFilter = { from: "2026-03-01", to: "2026-03-15", businessHours: false };

beforeAll(async () => {
  database = await createTestDatabase();
  t = await createTenantFixture(database.db, "figures");
  await database.db.reportFact.deleteMany({});
  await database.db.reportState.deleteMany({});
  const days = { mon: [{ from: "09:00", to: "18:00" }], tue: [{ from: "09:00", to: "18:00" }], wed: [{ from: "09:00", to: "18:00" }], thu: [{ from: "09:00", to: "18:00" }], fri: [{ from: "09:00", to: "18:00" }], sat: [], sun: [] };
  await withTenant(database.appDb, t.tenant.id, (db) =>
    updateSettings(db, { tenantId: t.tenant.id, changes: { timeZone: "Europe/Berlin", businessHours: { enabled: true, days } }, actor: { userId: t.users.owner.id } }),
  );
  const ann = t.users.agent.id;
  const bob = t.users.admin.id;
  const conversation = async (chat: string, status: "open" | "resolved") =>
    (await database.db.conversation.create({ data: { tenantId: t.tenant.id, channelId: t.rows.channel.id, contactId: t.rows.contact.id, externalChatId: chat, status } })).id;
  ids.c1 = await conversation("f1", "resolved");
  ids.c2 = await conversation("f2", "open");
  ids.c3 = await conversation("f3", "open");
  const events: { conversationId: string; type: string; at: string; payload: object }[] = [];
  const created = (conversationId: string, at: string, extra: object = {}) =>
    events.push({ conversationId, type: "conversation.created", at, payload: { conversation: { id: conversationId, channelId: t.rows.channel.id, teamId: null, assigneeId: null, labels: [], status: "open", createdAt: at, ...extra } } });
  const message = (conversationId: string, at: string, fields: object) =>
    events.push({ conversationId, type: "message.created", at, payload: { message: { isPrivate: false, senderUserId: null, createdAt: at, ...fields } } });
  const customer = (conversationId: string, at: string) => message(conversationId, at, { direction: "inbound", senderType: "contact" });
  const agent = (conversationId: string, at: string, userId: string) => message(conversationId, at, { direction: "outbound", senderType: "agent", senderUserId: userId });

  created(ids.c1, "2026-03-02T08:00:00.000Z", { teamId: t.rows.team.id, labels: ["vip"] });
  customer(ids.c1, "2026-03-02T08:00:00.000Z");
  agent(ids.c1, "2026-03-02T08:10:00.000Z", ann);
  customer(ids.c1, "2026-03-02T08:20:00.000Z");
  agent(ids.c1, "2026-03-02T08:50:00.000Z", ann);
  events.push({ conversationId: ids.c1, type: "conversation.status_changed", at: "2026-03-02T09:00:00.000Z", payload: { conversation: { id: ids.c1, status: "resolved" }, previousStatus: "open" } });
  created(ids.c2, "2026-03-06T16:30:00.000Z");
  customer(ids.c2, "2026-03-06T16:30:00.000Z");
  agent(ids.c2, "2026-03-09T08:30:00.000Z", bob);
  created(ids.c3, "2026-03-10T10:00:00.000Z");
  customer(ids.c3, "2026-03-10T10:00:00.000Z");
  agent(ids.c3, "2026-03-10T10:20:00.000Z", ann);
  customer(ids.c3, "2026-03-10T10:30:00.000Z");
  for (const event of events) {
    await database.db.event.create({ data: { tenantId: t.tenant.id, conversationId: event.conversationId, type: event.type, payload: event.payload, createdAt: new Date(event.at) } });
  }
  await withTenant(database.appDb, t.tenant.id, (db) => rebuildReports(db, { tenantId: t.tenant.id }));
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

const query = <T>(run: (db: DbClient) => Promise<T>) => withTenant(database.appDb, t.tenant.id, (db) => run(db as DbClient));
const minutes = (n: number) => n * 60;

describe("report figures", () => {
  it("counts and times, in calendar time: average, median and 90th percentile", async () => {
    const figures = await query((db) => reportSummary(db, { tenantId: t.tenant.id, filter: range, viewer: all }));
    expect(figures).toMatchObject({ conversations: 3, incoming: 5, outgoing: 4, resolutions: 1, reopens: 0 });
    // First responses of 10 min, 64 h and 20 min; the 90th percentile interpolates between the top two.
    expect(figures.firstResponse).toEqual({ count: 3, average: minutes(1290), median: minutes(20), p90: minutes(3076) });
    expect(figures.nextReply).toEqual({ count: 1, average: minutes(30), median: minutes(30), p90: minutes(30) });
    expect(figures.resolutionTime).toEqual({ count: 1, average: minutes(60), median: minutes(60), p90: minutes(60) });
  });

  it("in business time, the weekend and the night do not count", async () => {
    const figures = await query((db) => reportSummary(db, { tenantId: t.tenant.id, filter: { ...range, businessHours: true }, viewer: all }));
    expect(figures.firstResponse).toEqual({ count: 3, average: minutes(30), median: minutes(20), p90: minutes(52) });
  });

  it("filters by team, label, agent and channel; an agent sees their own figures", async () => {
    const summary = (filter: Partial<ReportFilter>, viewer: ReportViewer = all) => query((db) => reportSummary(db, { tenantId: t.tenant.id, filter: { ...range, ...filter }, viewer }));
    expect(await summary({ teamId: t.rows.team.id })).toMatchObject({ conversations: 1, incoming: 2, firstResponse: { count: 1, average: minutes(10) } });
    expect(await summary({ label: "vip" })).toMatchObject({ conversations: 1, resolutions: 1 });
    expect(await summary({ label: "nobody" })).toMatchObject({ conversations: 0, firstResponse: { count: 0, average: null } });
    expect(await summary({ agentId: t.users.agent.id })).toMatchObject({ outgoing: 3, firstResponse: { count: 2, average: minutes(15) }, nextReply: { count: 1 } });
    expect(await summary({ channelId: t.rows.channel.id })).toMatchObject({ conversations: 3 });
    // An agent's own, whatever agent filter they name.
    expect(await summary({}, { all: false, userId: t.users.admin.id })).toMatchObject({ outgoing: 1, firstResponse: { count: 1, average: minutes(3840) } });
    // The days are the workspace's: 2 March alone holds c1.
    expect(await summary({ from: "2026-03-02", to: "2026-03-02" })).toMatchObject({ conversations: 1, resolutions: 1 });
  });

  it("per week from Monday, every week of the range listed, the empty ones with zeros", async () => {
    const series = await query((db) => reportTimeseries(db, { tenantId: t.tenant.id, filter: range, viewer: all, groupBy: "week" }));
    expect(series.map((point) => [point.period, point.figures.conversations, point.figures.firstResponse.count])).toEqual([
      ["2026-02-23", 0, 0],
      ["2026-03-02", 2, 1],
      ["2026-03-09", 1, 2],
    ]);
    const daily = await query((db) => reportTimeseries(db, { tenantId: t.tenant.id, filter: range, viewer: all, groupBy: "day" }));
    expect(daily).toHaveLength(15);
  });

  it("per agent, with names, and the facts without an agent under none", async () => {
    const rows = await query((db) => reportBreakdown(db, { tenantId: t.tenant.id, filter: range, viewer: all, by: "agent" }));
    const byName = Object.fromEntries(rows.map((row) => [row.name ?? "(none)", row.figures]));
    expect(Object.keys(byName).sort()).toEqual(["(none)", t.users.admin.name, t.users.agent.name].sort());
    expect(byName[t.users.agent.name]).toMatchObject({ outgoing: 3, firstResponse: { count: 2 } });
    expect(byName["(none)"]).toMatchObject({ conversations: 3, incoming: 5, resolutions: 1 });
    const labels = await query((db) => reportBreakdown(db, { tenantId: t.tenant.id, filter: range, viewer: all, by: "label" }));
    expect(labels.map((row) => [row.key, row.figures.conversations])).toEqual([["vip", 1]]);
  });

  it("lists the conversations behind a figure, the longest wait first, and counts them", async () => {
    const page = await query((db) => reportConversations(db, { tenantId: t.tenant.id, filter: range, viewer: all, metric: "first_response", limit: 2, offset: 0 }));
    expect(page.total).toBe(3);
    expect(page.items.map((item) => [item.conversationId, item.seconds])).toEqual([
      [ids.c2, minutes(3840)],
      [ids.c3, minutes(20)],
    ]);
    expect(page.items[0]).toMatchObject({ contactName: t.rows.contact.name, status: "open" });
    const week = await query((db) => reportConversations(db, { tenantId: t.tenant.id, filter: range, viewer: all, metric: "conversations", period: { groupBy: "week", start: "2026-03-09" }, limit: 50, offset: 0 }));
    expect(week.items.map((item) => item.conversationId)).toEqual([ids.c3]);
  });

  it("the live overview: open, unassigned, who waits longest for a reply", async () => {
    const overview = await query((db) => reportOverview(db, { tenantId: t.tenant.id, viewer: all }));
    // The fixture's own conversation is open too (and waits for nobody: it has no history here).
    expect(overview).toMatchObject({ open: 3, unassigned: 3, waiting: 1 });
    expect(overview.waitingLongest).toEqual([{ conversationId: ids.c3, contactName: t.rows.contact.name, since: new Date("2026-03-10T10:30:00.000Z"), assigneeId: null }]);
    expect(overview.openPerAgent).toEqual([{ agentId: null, name: null, open: 3 }]);
    expect(overview.availability.online + overview.availability.busy + overview.availability.offline).toBe(3);
  });
});

describe("the CSV download", () => {
  const secret = "reports-export-secret-long-enough-000000";
  beforeAll(() => {
    process.env.APP_SECRET = secret;
  });
  const asMember = async (role: "owner" | "agent") => ({ cookie: `next-auth.session-token=${await encode({ token: { uid: t.users[role].id, sid: t.sessions[role].id }, secret, maxAge: 3600 })}` });
  const download = (query: string, headers: Record<string, string>) =>
    serveReportExport(new Request(`https://support.example/api/t/figures/reports/export?${query}`, { headers }), "figures", { appDb: database.appDb, systemDb: database.db });
  const rowsOf = async (response: Response) => {
    // UTF-8 with a byte-order mark, for spreadsheets.
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parse(bytes, { bom: true }) as string[][];
  };

  it("the figures per week for an admin key, streamed as CSV with a header", async () => {
    const response = await download("table=periods&groupBy=week&from=2026-03-01&to=2026-03-15", { authorization: `Bearer ${t.keys.full.key}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="report-figures-periods-2026-03-01-2026-03-15.csv"');
    const rows = await rowsOf(response);
    expect(rows[0]!.slice(0, 7)).toEqual(["period", "conversations", "incoming", "outgoing", "resolutions", "reopens", "first_response_count"]);
    expect(rows.slice(1).map((row) => [row[0], row[1], row[6]])).toEqual([
      ["2026-02-23", "0", "0"],
      ["2026-03-02", "2", "1"],
      ["2026-03-09", "1", "2"],
    ]);
  });

  it("every fact, a page at a time, each once and in order", async () => {
    const inTenant = <T>(run: (db: DbClient) => Promise<T>) => withTenant(database.appDb, t.tenant.id, (db) => run(db as DbClient));
    const paged: unknown[][] = [];
    for await (const row of reportRows(inTenant, { tenantId: t.tenant.id, filter: range, viewer: all, table: "facts", groupBy: "day", pageSize: 3 })) paged.push(row);
    const whole = await rowsOf(await download("table=facts&from=2026-03-01&to=2026-03-15", await asMember("owner")));
    expect(paged.map((row) => row.map(String))).toEqual(whole);
    // c1: created, 2 in, 2 out, first response, next reply, resolution; c2: created, in, out, first response; c3: created, 2 in, out, first response.
    expect(whole).toHaveLength(1 + 17);
    const first = whole.find((row) => row[2] === "first_response" && row[3] === ids.c2)!;
    expect([first[5], first[6]]).toEqual([String(3840 * 60), String(60 * 60)]);
  });

  it("an agent downloads their own figures, not another's; bad parameters are named; strangers get nothing", async () => {
    const agents = await rowsOf(await download("table=agent&from=2026-03-01&to=2026-03-15", await asMember("agent")));
    expect(agents.slice(1).map((row) => row[0])).toEqual([t.users.agent.id]);
    expect((await download(`table=periods&from=2026-03-01&to=2026-03-15&agentId=${t.users.admin.id}`, await asMember("agent"))).status).toBe(403);
    const badTable = await download("table=everything&from=2026-03-01&to=2026-03-15", await asMember("owner"));
    expect(badTable.status).toBe(400);
    expect((await badTable.json()).error.fieldErrors).toEqual({ table: [expect.stringContaining("facts")] });
    const backwards = await download("from=2026-03-15&to=2026-03-01&businessHours=yes", await asMember("owner"));
    expect(backwards.status).toBe(400);
    expect((await backwards.json()).error.fieldErrors).toMatchObject({ businessHours: [expect.any(String)] });
    const reversed = await download("from=2026-03-15&to=2026-03-01", await asMember("owner"));
    expect((await reversed.json()).error.fieldErrors).toEqual({ to: ["must not be before from"] });
    expect((await download("from=2026-03-01&to=2026-03-15", {})).status).toBe(401);
    expect((await download("from=2026-03-01&to=2026-03-15", { authorization: `Bearer ${t.keys.read.key}` })).status).toBe(404);
  });

  it("keeps a cell a spreadsheet would run as a formula text", async () => {
    const text = await new Response(csvStream((async function* () { yield ["label", "name"]; yield ["=HYPERLINK(\"https://evil.example\")", "@SUM(A1)"]; yield ["-1", "plain"]; })())).text();
    expect(parse(text, { bom: true })).toEqual([["label", "name"], ["'=HYPERLINK(\"https://evil.example\")", "'@SUM(A1)"], ["'-1", "plain"]]);
  });
});
