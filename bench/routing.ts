import { randomUUID } from "node:crypto";
import { createSystemPool } from "@/server/db/app-pool";
import { createAppDb, createSystemDb } from "@/server/db/client";
import { createLogger } from "@/server/logger";
import { announceEvents } from "@/server/realtime/announce";
import { startAssignmentRouter } from "@/server/worker/assignment-router";
import { openBenchDatabase, percentile, readScenario, round } from "./support";

/**
 * Automatic assignment at a steady arrival rate: `agents` online agents in `teams` teams (a
 * policy each, half round robin, half balanced, capacity `capacity`), `perSecond` new
 * conversations a second for `seconds` seconds, each in a random team, committed and
 * announced as intake does; two assignment routers (as two workers run them) give them out,
 * and each agent resolves a conversation `holdMs` after getting it. Reports assignment
 * decisions per second, the time from a conversation's commit to its assignment's commit (as
 * this process sees them: the insert's answer, and a look at the table every 20 ms, so up to
 * 20 ms too long), how many waited at most, and how often an agent went over capacity
 * (replayed from the event log: it must be 0).
 */
type Scenario = { agents: number; teams: number; capacity: number; perSecond: number; seconds: number; holdMs: number };

export async function runRoutingBench(): Promise<void> {
  const scenario = readScenario<Scenario>("routing");
  const database = await openBenchDatabase();
  const system = createSystemPool(database.url, 8);
  const systemDb = createSystemDb(database.url, { max: 4 });
  const appDbs = [createAppDb(database.url, { max: 4 }), createAppDb(database.url, { max: 4 })];
  const log = createLogger("test", "warn");
  try {
    const tenantId = randomUUID();
    await system.query(`INSERT INTO "Tenant" (id, slug, name, "updatedAt") VALUES ($1, 'routing', 'Routing bench', now())`, [tenantId]);
    await system.query(`INSERT INTO "TenantSettings" ("tenantId", values, "updatedAt") VALUES ($1, $2, now())`, [tenantId, JSON.stringify({ assignment: { defaultCapacity: scenario.capacity, offlineAfterMinutes: 1440, onlineOnSignIn: false } })]);
    const channelId = randomUUID();
    await system.query(`INSERT INTO "Channel" (id, "tenantId", type, name, status, "updatedAt") VALUES ($1, $2, 'web_widget', 'bench', 'active', now())`, [channelId, tenantId]);
    const teams: string[] = [];
    for (let t = 0; t < scenario.teams; t++) {
      const teamId = randomUUID();
      teams.push(teamId);
      await system.query(`INSERT INTO "Team" (id, "tenantId", name, "nameKey", "updatedAt") VALUES ($1, $2, $3, $3, now())`, [teamId, tenantId, `team ${t}`]);
      await system.query(`INSERT INTO "AssignmentPolicy" (id, "tenantId", "teamId", mode, "updatedAt") VALUES ($1, $2, $3, $4, now())`, [randomUUID(), tenantId, teamId, t % 2 ? "balanced" : "round_robin"]);
    }
    for (let a = 0; a < scenario.agents; a++) {
      const userId = randomUUID();
      await system.query(`INSERT INTO "User" (id, email, name, "updatedAt") VALUES ($1, $2, $3, now())`, [userId, `agent${a}@routing.example`, `Agent ${a}`]);
      await system.query(`INSERT INTO "Membership" (id, "tenantId", "userId", role, availability, "lastSeenAt", "updatedAt") VALUES ($1, $2, $3, 'agent', 'online', now(), now())`, [randomUUID(), tenantId, userId]);
      await system.query(`INSERT INTO "TeamMember" ("tenantId", "teamId", "userId") VALUES ($1, $2, $3)`, [tenantId, teams[a % scenario.teams], userId]);
    }
    const contactId = randomUUID();
    await system.query(`INSERT INTO "Contact" (id, "tenantId", name, labels, "updatedAt") VALUES ($1, $2, 'bench customer', '{}', now())`, [contactId, tenantId]);

    const routers = appDbs.map((appDb) => startAssignmentRouter({ connectionString: database.url, appDb, systemDb, log }));
    // Agents resolve what they were given `holdMs` ago, each resolution an event as the inbox records it.
    let resolving = true;
    const resolver = (async () => {
      while (resolving) {
        await system.query(
          `WITH done AS (
             UPDATE "Conversation" c SET status = 'resolved', "resolvedAt" = now(), "updatedAt" = now()
             WHERE c."tenantId" = $1 AND c.status = 'open' AND c."assigneeId" IS NOT NULL AND c."queuedAt" IS NULL AND c."updatedAt" < now() - make_interval(secs => $2::float / 1000)
             RETURNING c.id
           )
           INSERT INTO "Event" ("tenantId", type, "conversationId", payload)
           SELECT $1, 'conversation.status_changed', id, jsonb_build_object('status', 'resolved', 'previousStatus', 'open') FROM done`,
          [tenantId, scenario.holdMs],
        );
        announceEvents(system);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    // Arrivals: every 10 ms a batch, committed and announced as intake does.
    const perTick = scenario.perSecond / 100;
    let peakWaiting = 0;
    const sampler = setInterval(() => {
      system
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM "Conversation" WHERE "tenantId" = $1 AND "queuedAt" IS NOT NULL`, [tenantId])
        .then(({ rows }) => void (peakWaiting = Math.max(peakWaiting, rows[0]!.n)), () => undefined);
    }, 100);
    // When each arrival committed, and when its assignment was first seen committed.
    const committedAt = new Map<string, number>();
    const latencies: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching || committedAt.size > 0) {
        const pending = [...committedAt.keys()];
        if (pending.length > 0) {
          const { rows } = await system.query<{ id: string }>(`SELECT id FROM "Conversation" WHERE id = ANY($1::uuid[]) AND "assigneeId" IS NOT NULL`, [pending]);
          const seen = performance.now();
          for (const { id } of rows) {
            latencies.push(seen - committedAt.get(id)!);
            committedAt.delete(id);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const started = performance.now();
    let sent = 0;
    let chat = 0;
    for (let tick = 0; tick < scenario.seconds * 100; tick++) {
      const due = started + tick * 10;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const ids = Array.from({ length: perTick }, () => randomUUID());
      const teamIds = ids.map(() => teams[Math.floor(Math.random() * teams.length)]!);
      const chats = ids.map(() => String(++chat));
      void system
        .query(
          `INSERT INTO "Conversation" (id, "tenantId", "channelId", "contactId", "externalChatId", status, labels, "teamId", "queuedAt", "lastMessageAt", "updatedAt")
           SELECT id, $1, $2, $3, chat, 'open', '{}', team, clock_timestamp(), clock_timestamp(), clock_timestamp() FROM unnest($4::uuid[], $5::uuid[], $6::text[]) AS v(id, team, chat)`,
          [tenantId, channelId, contactId, ids, teamIds, chats],
        )
        .then(() => {
          const at = performance.now();
          for (const id of ids) committedAt.set(id, at);
          announceEvents(system);
        });
      sent += perTick;
    }
    const arrivalSeconds = (performance.now() - started) / 1000;
    // Let what is waiting drain.
    for (let i = 0; i < 600; i++) {
      const { rows } = await system.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Conversation" WHERE "tenantId" = $1 AND ("queuedAt" IS NOT NULL OR "assigneeId" IS NULL)`, [tenantId]);
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    clearInterval(sampler);
    watching = false;
    await watcher;
    resolving = false;
    await resolver;
    await Promise.all(routers.map((router) => router.stop()));

    const { rows: span } = await system.query<{ seconds: number; assigned: number }>(
      `SELECT extract(epoch FROM max("createdAt") - min("createdAt"))::float AS seconds, count(*)::int AS assigned FROM "Event" WHERE "tenantId" = $1 AND type = 'assignee.changed'`,
      [tenantId],
    );
    const { rows: events } = await system.query<{ type: string; conversationId: string; payload: { conversation?: { assignee?: { id: string } } } }>(
      `SELECT type, "conversationId", payload FROM "Event" WHERE "tenantId" = $1 ORDER BY id`,
      [tenantId],
    );
    const holder = new Map<string, string>();
    const load = new Map<string, number>();
    let overCapacity = 0;
    let peakLoad = 0;
    for (const event of events) {
      if (event.type === "assignee.changed") {
        const agent = event.payload.conversation!.assignee!.id;
        holder.set(event.conversationId, agent);
        const n = (load.get(agent) ?? 0) + 1;
        load.set(agent, n);
        peakLoad = Math.max(peakLoad, n);
        if (n > scenario.capacity) overCapacity++;
      } else if (event.type === "conversation.status_changed") {
        const agent = holder.get(event.conversationId);
        if (agent) load.set(agent, load.get(agent)! - 1);
      }
    }
    const ms = latencies;
    process.stdout.write(
      `${JSON.stringify(
        {
          scenario,
          arrived: sent,
          arrivalRatePerSecond: round(sent / arrivalSeconds),
          assigned: span[0]!.assigned,
          decisionsPerSecond: round(span[0]!.assigned / span[0]!.seconds),
          toAssignedMs: { p50: round(percentile(ms, 50)), p90: round(percentile(ms, 90)), p99: round(percentile(ms, 99)), max: round(Math.max(...ms)) },
          peakWaiting,
          peakOpenPerAgent: peakLoad,
          overCapacity,
        },
        null,
        2,
      )}\n`,
    );
    if (overCapacity > 0) throw new Error(`${overCapacity} assignments put an agent over capacity`);
  } finally {
    await Promise.all(appDbs.map((db) => db.$disconnect()));
    await systemDb.$disconnect();
    await system.end();
    await database.close();
  }
}
