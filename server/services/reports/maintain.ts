import type { DbClient } from "@/server/db/client";
import type { Settings } from "@/lib/settings/schema";
import { businessMillis } from "@/server/services/automation/business-hours";
import { getSettings } from "@/server/services/settings/settings";
import { awaitingReplySince, step, type CycleState, type Fact, type LogEvent } from "./cycles";

/** The events the reports' fold reads; the rest change no figure. */
export const reportEventTypes = ["conversation.created", "message.created", "conversation.status_changed", "assignee.changed", "team.changed", "conversation.updated"];

type Hours = Pick<Settings, "businessHours" | "timeZone">;

/** The fold's state as stored (ReportState.state): JSON, so the id is text and times are ISO. */
type StoredState = Omit<CycleState, "lastEventId" | "firstCustomerAt" | "firstReplyAt" | "waitingSince"> & {
  lastEventId: string;
  firstCustomerAt: string | null;
  firstReplyAt: string | null;
  waitingSince: string | null;
};

const iso = (date: Date | null) => date?.toISOString() ?? null;
const date = (text: string | null) => (text === null ? null : new Date(text));

function store(state: CycleState): StoredState {
  return { ...state, lastEventId: state.lastEventId.toString(), firstCustomerAt: iso(state.firstCustomerAt), firstReplyAt: iso(state.firstReplyAt), waitingSince: iso(state.waitingSince) };
}

/** A saved state; the row's own columns say which conversation and event, and a field it lacks reads as a fresh state's. */
function load(row: { conversationId: string; lastEventId: bigint; state: unknown }): CycleState {
  const stored = (row.state ?? {}) as Partial<StoredState>;
  return {
    conversationId: row.conversationId,
    lastEventId: row.lastEventId,
    cycle: typeof stored.cycle === "number" ? stored.cycle : 0,
    status: typeof stored.status === "string" ? stored.status : "open",
    channelId: stored.channelId ?? null,
    teamId: stored.teamId ?? null,
    assigneeId: stored.assigneeId ?? null,
    labels: Array.isArray(stored.labels) ? stored.labels : [],
    firstCustomerAt: date(stored.firstCustomerAt ?? null),
    firstReplyAt: date(stored.firstReplyAt ?? null),
    waitingSince: date(stored.waitingSince ?? null),
  };
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The date an instant falls on in a time zone ("2026-03-29"). */
export function localDay(timeZone: string, at: Date): string {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter.format(at);
}

/** A fact as its row: the wait's length in calendar and business time, and its local day. */
function factRow(tenantId: string, hours: Hours, fact: Fact) {
  const timed = fact.since !== null;
  return {
    tenantId,
    eventId: fact.eventId,
    kind: fact.kind,
    conversationId: fact.conversationId,
    cycle: fact.cycle,
    at: fact.at,
    day: localDay(hours.timeZone, fact.at),
    since: fact.since,
    millis: timed ? BigInt(Math.max(0, fact.at.getTime() - fact.since!.getTime())) : null,
    businessMillis: timed ? BigInt(businessMillis(hours, fact.since!, fact.at)) : null,
    channelId: fact.channelId,
    teamId: fact.teamId,
    agentId: fact.agentId,
    labels: fact.labels,
  };
}

/** Facts in one statement (many per batch): the primary key (tenant, event, kind) makes a repeat nothing. */
async function insertFacts(db: DbClient, rows: ReturnType<typeof factRow>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 5000) {
    const chunk = rows.slice(start, start + 5000);
    const column = <K extends keyof (typeof chunk)[number]>(key: K) => chunk.map((row) => row[key]);
    await db.$executeRaw`
      INSERT INTO "ReportFact" ("tenantId", "eventId", kind, "conversationId", cycle, at, day, since, millis, "businessMillis", "channelId", "teamId", "agentId", labels)
      SELECT v."tenantId", v."eventId", v.kind::"ReportFactKind", v."conversationId", v.cycle, v.at, v.day::date, v.since, v.millis, v."businessMillis", v."channelId", v."teamId", v."agentId",
             ARRAY(SELECT jsonb_array_elements_text(v.labels))
      FROM unnest(${column("tenantId")}::uuid[], ${column("eventId")}::bigint[], ${column("kind")}::text[], ${column("conversationId")}::uuid[], ${column("cycle")}::int[],
                  ${column("at")}::timestamp(3)[], ${column("day")}::text[], ${column("since")}::timestamp(3)[], ${column("millis")}::bigint[], ${column("businessMillis")}::bigint[],
                  ${column("channelId")}::uuid[], ${column("teamId")}::uuid[], ${column("agentId")}::uuid[], ${chunk.map((row) => JSON.stringify(row.labels))}::jsonb[])
        AS v("tenantId", "eventId", kind, "conversationId", cycle, at, day, since, millis, "businessMillis", "channelId", "teamId", "agentId", labels)
      ON CONFLICT DO NOTHING`;
  }
}

async function saveStates(db: DbClient, tenantId: string, states: CycleState[]): Promise<void> {
  for (let start = 0; start < states.length; start += 5000) {
    const chunk = states.slice(start, start + 5000);
    await db.$executeRaw`
      INSERT INTO "ReportState" ("conversationId", "tenantId", "lastEventId", state, "waitingSince", "updatedAt")
      SELECT v.id, ${tenantId}::uuid, v.last, v.state, v.waiting, now()
      FROM unnest(${chunk.map((state) => state.conversationId)}::uuid[], ${chunk.map((state) => state.lastEventId)}::bigint[], ${chunk.map((state) => JSON.stringify(store(state)))}::jsonb[],
                  ${chunk.map((state) => awaitingReplySince(state))}::timestamp(3)[]) AS v(id, last, state, waiting)
      ON CONFLICT ("conversationId") DO UPDATE SET "lastEventId" = excluded."lastEventId", state = excluded.state, "waitingSince" = excluded."waitingSince", "updatedAt" = excluded."updatedAt"`;
  }
}

/**
 * One workspace's reports follow one at a time: the follower's batches (on any number of workers)
 * and a rebuild take this lock for their transaction, so each reads the states the last one left.
 */
async function lockReports(db: DbClient, tenantId: string): Promise<void> {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`reports:${tenantId}`}, 0))`;
}

async function hoursOf(db: DbClient, tenantId: string): Promise<Hours> {
  const { values } = await getSettings(db, { tenantId });
  return { businessHours: values.businessHours, timeZone: values.timeZone };
}

/**
 * Applies a batch of one workspace's events (in log order) to its reports, in the caller's
 * transaction (withTenant): each conversation's state is read, stepped through its events and
 * saved with the facts they made. An event already applied (a replay after a crash, or a second
 * worker's copy of the batch) adds nothing: the state remembers the last one.
 */
export async function applyReportEvents(db: DbClient, input: { tenantId: string; events: LogEvent[] }): Promise<{ facts: number }> {
  const events = input.events.filter((event) => event.conversationId && reportEventTypes.includes(event.type));
  if (events.length === 0) return { facts: 0 };
  await lockReports(db, input.tenantId);
  const ids = [...new Set(events.map((event) => event.conversationId))];
  const saved = await db.reportState.findMany({ where: { conversationId: { in: ids } }, select: { conversationId: true, lastEventId: true, state: true } });
  const states = new Map(saved.map((row) => [row.conversationId, load(row)]));
  const facts: Fact[] = [];
  const changed = new Set<string>();
  for (const event of events) {
    const before = states.get(event.conversationId) ?? null;
    const result = step(before, event);
    if (result.state === before) continue;
    states.set(event.conversationId, result.state);
    changed.add(event.conversationId);
    facts.push(...result.facts);
  }
  if (changed.size === 0) return { facts: 0 };
  const hours = await hoursOf(db, input.tenantId);
  await insertFacts(db, facts.map((fact) => factRow(input.tenantId, hours, fact)));
  await saveStates(db, input.tenantId, [...changed].map((id) => states.get(id)!));
  return { facts: facts.length };
}

/** The log's events of a workspace the fold reads, in order, from after `afterId`, a page at a time. */
export async function readReportEvents(db: DbClient, input: { tenantId: string; afterId: bigint; limit: number }): Promise<LogEvent[]> {
  const rows = await db.$queryRaw<{ id: bigint; type: string; conversationId: string; createdAt: Date; payload: Record<string, unknown> }[]>`
    SELECT id, type, "conversationId", "createdAt", payload FROM "Event"
    WHERE "tenantId" = ${input.tenantId}::uuid AND id > ${input.afterId} AND "conversationId" IS NOT NULL AND type = ANY(${reportEventTypes}::text[])
    ORDER BY id LIMIT ${input.limit}`;
  return rows;
}

/**
 * Recomputes a workspace's reports from its event log (`npm run admin -- reports:rebuild`), in
 * the caller's transaction: every fact the log's events make is made again, with the workspace's
 * hours and time zone as they are now. Facts of events that retention already purged from the log
 * are kept as they were (the log cannot make them again). `onProgress` hears the events read so far.
 */
export async function rebuildReports(
  db: DbClient,
  input: { tenantId: string; onProgress?: (read: number) => void; pageSize?: number },
): Promise<{ events: number; facts: number; conversations: number }> {
  await lockReports(db, input.tenantId);
  const oldest = await db.event.findFirst({ where: { tenantId: input.tenantId }, orderBy: { id: "asc" }, select: { id: true } });
  const keptBefore = oldest?.id ?? 0n;
  await db.reportFact.deleteMany({ where: { tenantId: input.tenantId, eventId: { gte: keptBefore } } });
  await db.reportState.deleteMany({ where: { tenantId: input.tenantId } });
  const hours = await hoursOf(db, input.tenantId);
  const states = new Map<string, CycleState>();
  let read = 0;
  let facts = 0;
  for (let afterId = 0n; ; ) {
    const events = await readReportEvents(db, { tenantId: input.tenantId, afterId, limit: input.pageSize ?? 10_000 });
    if (events.length === 0) break;
    const made: Fact[] = [];
    for (const event of events) {
      const result = step(states.get(event.conversationId) ?? null, event);
      states.set(event.conversationId, result.state);
      made.push(...result.facts);
    }
    await insertFacts(db, made.map((fact) => factRow(input.tenantId, hours, fact)));
    facts += made.length;
    read += events.length;
    afterId = events.at(-1)!.id;
    input.onProgress?.(read);
  }
  await saveStates(db, input.tenantId, [...states.values()]);
  return { events: read, facts, conversations: states.size };
}

