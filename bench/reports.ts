import pg from "pg";
import { createAppDb, type DbClient } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { ReportFilter } from "@/lib/reports/filters";
import { addDays } from "@/lib/reports/format";
import { reportBreakdown, reportOverview, reportSummary, reportTimeseries, type ReportViewer } from "@/server/services/reports/report-queries";
import { openBenchDatabase, percentile, readScenario, round } from "./support";

/**
 * The reports at scale: T workspaces holding C conversations between them (one of B), each with
 * M messages' facts (half each way) besides its created, first response, two next replies and, for
 * four in five, its resolution — the facts the worker's follower keeps (ReportFact), written here
 * in bulk by SQL as that follower would have written them, over the last D days. Then the big
 * workspace's reports through the same functions and transactions the API uses: the summary over
 * 90 days (calendar and business time, and filtered by a team), the per-day series, the breakdown
 * by agent, and the live overview, N times each.
 */
type Scenario = { tenants: number; conversations: number; bigTenantConversations: number; messagesPerConversation: number; days: number; agentsPerTenant: number; requests: number };

async function seed(client: pg.Client, s: Scenario): Promise<{ bigTenantId: string; teamId: string; facts: number; seconds: number }> {
  const started = performance.now();
  const run = (sql: string, values: unknown[] = []) => client.query(sql, values);
  await run(`INSERT INTO "Tenant" (id, slug, name, "updatedAt") SELECT gen_random_uuid(), 'bench-' || i, 'Bench ' || i, now() FROM generate_series(1, $1) i`, [s.tenants]);
  await run(`INSERT INTO "Channel" (id, "tenantId", type, name, status, "updatedAt") SELECT gen_random_uuid(), id, 'telegram', 'Bot of ' || slug, 'active', now() FROM "Tenant"`);
  await run(`INSERT INTO "Contact" (id, "tenantId", name, "updatedAt") SELECT gen_random_uuid(), id, 'Customer of ' || slug, now() FROM "Tenant"`);
  await run(`INSERT INTO "Team" (id, "tenantId", name, "nameKey", "updatedAt") SELECT gen_random_uuid(), id, 'Support', 'support', now() FROM "Tenant"`);
  await run(`INSERT INTO "User" (id, email, name, "updatedAt") SELECT gen_random_uuid(), 'agent-' || t.slug || '-' || a || '@bench.example', 'Agent ' || a, now() FROM "Tenant" t, generate_series(1, $1) a`, [s.agentsPerTenant]);
  await run(`INSERT INTO "Membership" (id, "tenantId", "userId", role, "updatedAt")
    SELECT gen_random_uuid(), t.id, u.id, 'agent', now() FROM "Tenant" t JOIN "User" u ON u.email LIKE 'agent-' || t.slug || '-%@bench.example'`);
  const big = (await run(`SELECT id FROM "Tenant" WHERE slug = 'bench-1'`)).rows[0].id as string;
  // Conversations: B in the big workspace, the rest spread evenly; created over the last D days; one in five still open.
  await run(`
    INSERT INTO "Conversation" (id, "tenantId", "channelId", "contactId", "externalChatId", status, labels, "teamId", "assigneeId", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), t.id, ch.id, co.id, n::text, CASE WHEN n % 5 = 0 THEN 'open' ELSE 'resolved' END::"ConversationStatus",
           CASE WHEN n % 7 = 0 THEN ARRAY['vip'] ELSE '{}' END, CASE WHEN n % 2 = 0 THEN tm.id END, NULL,
           now() - random() * $4::int * interval '1 day', now()
    FROM (SELECT id, slug, row_number() OVER (ORDER BY slug = 'bench-1' DESC, slug) AS rank FROM "Tenant") t
    JOIN "Channel" ch ON ch."tenantId" = t.id JOIN "Contact" co ON co."tenantId" = t.id JOIN "Team" tm ON tm."tenantId" = t.id
    CROSS JOIN LATERAL generate_series(1, CASE WHEN t.rank = 1 THEN $1::int ELSE (($2::int - $1::int) / ($3::int - 1)) END) n`, [s.bigTenantConversations, s.conversations, s.tenants, s.days]);
  // The facts, as the follower makes them: one event id per fact, in time order within a conversation.
  await run(`CREATE TEMP TABLE agents AS SELECT m."tenantId", array_agg(m."userId") AS ids FROM "Membership" m GROUP BY 1`);
  const half = Math.floor(s.messagesPerConversation / 2);
  await run(`
    INSERT INTO "ReportFact" ("tenantId", "eventId", kind, "conversationId", cycle, at, day, since, millis, "businessMillis", "channelId", "teamId", "agentId", labels)
    SELECT c."tenantId", nextval('"Event_id_seq"'), f.kind::"ReportFactKind", c.id, 0, f.at, f.at::date, f.since,
           CASE WHEN f.since IS NULL THEN NULL ELSE (extract(epoch FROM f.at - f.since) * 1000)::bigint END,
           CASE WHEN f.since IS NULL THEN NULL ELSE (extract(epoch FROM f.at - f.since) * 400)::bigint END,
           c."channelId", c."teamId", CASE WHEN f.kind IN ('first_response', 'next_reply', 'message_out', 'resolution') THEN a.ids[1 + (abs(hashtext(c.id::text)) % array_length(a.ids, 1))] END, c.labels
    FROM "Conversation" c JOIN agents a ON a."tenantId" = c."tenantId"
    CROSS JOIN LATERAL (
      SELECT 'conversation_created' AS kind, c."createdAt" AS at, NULL::timestamp AS since
      UNION ALL SELECT 'message_in', c."createdAt" + i * 7 * interval '1 minute', NULL FROM generate_series(0, $1::int - 1) i
      UNION ALL SELECT 'message_out', c."createdAt" + (i * 7 + 3) * interval '1 minute', NULL FROM generate_series(0, $1::int - 1) i
      UNION ALL SELECT 'first_response', c."createdAt" + (1 + random() * 30) * interval '1 minute', c."createdAt"
      UNION ALL SELECT 'next_reply', c."createdAt" + (7 * i + 3 + random() * 20) * interval '1 minute', c."createdAt" + 7 * i * interval '1 minute' FROM generate_series(1, 2) i
      UNION ALL SELECT 'resolution', c."createdAt" + (60 + random() * 600) * interval '1 minute', c."createdAt" WHERE c.status = 'resolved'
    ) f`, [half]);
  await run(`
    INSERT INTO "ReportState" ("conversationId", "tenantId", "lastEventId", state, "waitingSince", "updatedAt")
    SELECT c.id, c."tenantId", 0, '{}', CASE WHEN abs(hashtext(c.id::text)) % 2 = 0 THEN c."createdAt" END, now() FROM "Conversation" c WHERE c.status = 'open'`);
  // As autovacuum leaves a table that took its inserts: visible to index-only scans, with statistics.
  await run(`VACUUM ANALYZE`);
  const facts = Number((await run(`SELECT count(*) FROM "ReportFact"`)).rows[0].count);
  const teamId = (await run(`SELECT id FROM "Team" WHERE "tenantId" = $1`, [big])).rows[0].id as string;
  return { bigTenantId: big, teamId, facts, seconds: round((performance.now() - started) / 1000) };
}

async function timed(requests: number, run: () => Promise<unknown>): Promise<{ p50Ms: number; p95Ms: number; maxMs: number }> {
  await run(); // the first one plans and warms the cache
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return { p50Ms: round(percentile(times, 50)), p95Ms: round(percentile(times, 95)), maxMs: round(Math.max(...times)) };
}

export async function runReportsBench(): Promise<void> {
  const scenario = readScenario<Scenario>("reports");
  const database = await openBenchDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const seeded = await seed(client, scenario);
    const appDb = createAppDb(database.url, { max: 4 });
    const inBig = <T>(run: (db: DbClient) => Promise<T>) => withTenant(appDb, seeded.bigTenantId, (db) => run(db as DbClient));
    const today = new Date().toISOString().slice(0, 10);
    const days90: ReportFilter = { from: addDays(today, -89), to: today, businessHours: false };
    const all: ReportViewer = { all: true };
    const tenantId = seeded.bigTenantId;
    const bigFacts = Number((await client.query(`SELECT count(*) FROM "ReportFact" WHERE "tenantId" = $1 AND day >= $2::date`, [tenantId, days90.from])).rows[0].count);
    const figures = {
      scenario,
      seedSeconds: seeded.seconds,
      facts: seeded.facts,
      bigWorkspaceFactsIn90Days: bigFacts,
      summary90Days: await timed(scenario.requests, () => inBig((db) => reportSummary(db, { tenantId, filter: days90, viewer: all }))),
      summary90DaysBusinessHours: await timed(scenario.requests, () => inBig((db) => reportSummary(db, { tenantId, filter: { ...days90, businessHours: true }, viewer: all }))),
      summary90DaysOneTeam: await timed(scenario.requests, () => inBig((db) => reportSummary(db, { tenantId, filter: { ...days90, teamId: seeded.teamId }, viewer: all }))),
      timeseries90DaysPerDay: await timed(scenario.requests, () => inBig((db) => reportTimeseries(db, { tenantId, filter: days90, viewer: all, groupBy: "day" }))),
      breakdown90DaysByAgent: await timed(scenario.requests, () => inBig((db) => reportBreakdown(db, { tenantId, filter: days90, viewer: all, by: "agent" }))),
      overview: await timed(scenario.requests, () => inBig((db) => reportOverview(db, { tenantId, viewer: all }))),
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    await appDb.$disconnect();
  } finally {
    await client.end();
    await database.close();
  }
}
