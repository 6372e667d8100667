import { Prisma } from "@/server/db/generated/client";
import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import type { ReportDimension, ReportFigures, ReportFilter, ReportGrouping, ReportMetric, TimeFigures } from "@/lib/reports/filters";

/** Which facts a metric is about (a time metric: the fact that carries the time). */
export const metricKinds: Record<ReportMetric, string> = {
  conversations: "conversation_created",
  incoming: "message_in",
  outgoing: "message_out",
  resolutions: "resolution",
  reopens: "reopen",
  first_response: "first_response",
  next_reply: "next_reply",
  resolution_time: "resolution",
};

/** Who sees what: owners and admins (and API keys with the admin scope) the team's figures, an agent their own. */
export type ReportViewer = { all: true } | { all: false; userId: string };

/** The viewer a caller is, from their role in the workspace (an API key's is admin with the admin scope). */
export function reportViewer(role: string, userId: string | undefined): ReportViewer {
  return role === "owner" || role === "admin" ? { all: true } : { all: false, userId: userId ?? "" };
}

/** The filter as asked, unless an agent asks for another agent's figures: FORBIDDEN. */
export function viewerMay(viewer: ReportViewer, filter: ReportFilter): ReportFilter {
  if (!viewer.all && filter.agentId && filter.agentId !== viewer.userId) throw new AppError("FORBIDDEN", "an agent sees their own figures only");
  return filter;
}

/** The WHERE of every report: the workspace, the days, the filters, and an agent's own figures. */
export function factConditions(tenantId: string, filter: ReportFilter, viewer: ReportViewer): Prisma.Sql {
  const conditions = [Prisma.sql`f."tenantId" = ${tenantId}::uuid`, Prisma.sql`f.day BETWEEN ${filter.from}::date AND ${filter.to}::date`];
  if (filter.channelId) conditions.push(Prisma.sql`f."channelId" = ${filter.channelId}::uuid`);
  if (filter.teamId) conditions.push(Prisma.sql`f."teamId" = ${filter.teamId}::uuid`);
  const agentId = viewer.all ? filter.agentId : viewer.userId;
  if (agentId) conditions.push(Prisma.sql`f."agentId" = ${agentId}::uuid`);
  if (filter.label) conditions.push(Prisma.sql`f.labels @> ARRAY[${filter.label}]::text[]`);
  return Prisma.join(conditions, " AND ");
}

const duration = (filter: ReportFilter) => (filter.businessHours ? Prisma.sql`f."businessMillis"` : Prisma.sql`f.millis`);

type FigureRow = { kind: string; count: number; timed: number; average: number | null; median: number | null; p90: number | null };

/** Per kind: how many, and over the timed ones how many, the average, median and 90th percentile (ms). */
const figureColumns = (filter: ReportFilter) => Prisma.sql`
  f.kind::text AS kind, count(*)::int AS count, count(${duration(filter)})::int AS timed,
  avg(${duration(filter)})::float8 AS average,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${duration(filter)})::float8 AS median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${duration(filter)})::float8 AS p90`;

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

function timeFigures(rows: FigureRow[], kind: string): TimeFigures {
  const row = rows.find((candidate) => candidate.kind === kind);
  // A resolution without a customer message has no time: a resolution, not a resolution time.
  if (!row || row.timed === 0) return { count: 0, average: null, median: null, p90: null };
  return { count: row.timed, average: seconds(row.average), median: seconds(row.median), p90: seconds(row.p90) };
}

export function figuresOf(rows: FigureRow[]): ReportFigures {
  const count = (kind: string) => rows.find((row) => row.kind === kind)?.count ?? 0;
  return {
    conversations: count("conversation_created"),
    incoming: count("message_in"),
    outgoing: count("message_out"),
    resolutions: count("resolution"),
    reopens: count("reopen"),
    firstResponse: timeFigures(rows, "first_response"),
    nextReply: timeFigures(rows, "next_reply"),
    resolutionTime: timeFigures(rows, "resolution"),
  };
}

/** The timed kinds: only their facts are sorted for the percentiles (the messages, most of the facts, only counted). */
const timedKinds = Prisma.sql`f.kind IN ('first_response', 'next_reply', 'resolution')`;

/**
 * The figures' rows of one grouping: the counts of every kind, and the times of the timed kinds
 * only — two statements, so the sort behind the percentiles never sees a message's fact.
 */
async function figureRows<Extra extends Record<string, unknown>>(db: DbClient, input: { where: Prisma.Sql; filter: ReportFilter; select?: Prisma.Sql; from?: Prisma.Sql; groupBy?: Prisma.Sql }) {
  const select = input.select ? Prisma.sql`${input.select}, ` : Prisma.empty;
  const groupBy = input.groupBy ? Prisma.sql`${input.groupBy}, ` : Prisma.empty;
  const from = input.from ?? Prisma.empty;
  const [counts, times] = await Promise.all([
    db.$queryRaw<(Extra & { kind: string; count: number })[]>`
      SELECT ${select} f.kind::text AS kind, count(*)::int AS count FROM "ReportFact" f ${from} WHERE ${input.where} GROUP BY ${groupBy} f.kind`,
    db.$queryRaw<(Extra & FigureRow)[]>`
      SELECT ${select} ${figureColumns(input.filter)} FROM "ReportFact" f ${from} WHERE ${input.where} AND ${timedKinds} AND ${duration(input.filter)} IS NOT NULL GROUP BY ${groupBy} f.kind`,
  ]);
  // A row's group: its kind and the grouping's own columns (period, key), the same in both answers.
  const groupOf = (row: Record<string, unknown>) => JSON.stringify(Object.entries(row).filter(([key]) => key === "kind" || !figureKeys.has(key)));
  const timed = new Map(times.map((row) => [groupOf(row), row]));
  return counts.map((row): Extra & FigureRow => {
    const time = timed.get(groupOf(row));
    return { ...row, timed: time?.timed ?? 0, average: time?.average ?? null, median: time?.median ?? null, p90: time?.p90 ?? null };
  });
}

const figureKeys = new Set(["kind", "count", "timed", "average", "median", "p90"]);


/** Every figure over the days and filters. */
export async function reportSummary(db: DbClient, input: { tenantId: string; filter: ReportFilter; viewer: ReportViewer }): Promise<ReportFigures> {
  return figuresOf(await figureRows(db, { where: factConditions(input.tenantId, input.filter, input.viewer), filter: input.filter }));
}

/** The figures per day, week (from Monday) or month, every period of the range listed (empty ones with zeros). */
export async function reportTimeseries(
  db: DbClient,
  input: { tenantId: string; filter: ReportFilter; viewer: ReportViewer; groupBy: ReportGrouping },
): Promise<{ period: string; figures: ReportFigures }[]> {
  const unit = Prisma.raw(`'${input.groupBy}'`);
  const rows = await figureRows<{ period: string }>(db, {
    where: factConditions(input.tenantId, input.filter, input.viewer),
    filter: input.filter,
    select: Prisma.sql`to_char(date_trunc(${unit}, f.day), 'YYYY-MM-DD') AS period`,
    groupBy: Prisma.sql`date_trunc(${unit}, f.day)`,
  });
  const periods = await db.$queryRaw<{ period: string }[]>`
    SELECT to_char(p, 'YYYY-MM-DD') AS period
    FROM generate_series(date_trunc(${unit}, ${input.filter.from}::date), ${input.filter.to}::date, ${Prisma.raw(`interval '1 ${input.groupBy}'`)}) p`;
  return periods.map(({ period }) => ({ period, figures: figuresOf(rows.filter((row) => row.period === period)) }));
}

const dimensionColumn: Record<ReportDimension, Prisma.Sql> = {
  agent: Prisma.sql`f."agentId"::text`,
  team: Prisma.sql`f."teamId"::text`,
  channel: Prisma.sql`f."channelId"::text`,
  label: Prisma.sql`l.label`,
};

/**
 * The figures per agent, team, channel or label (a fact with two labels counts for each; one
 * without an agent or a team is listed under none, `key` null), with the name of each.
 */
export async function reportBreakdown(
  db: DbClient,
  input: { tenantId: string; filter: ReportFilter; viewer: ReportViewer; by: ReportDimension },
): Promise<{ key: string | null; name: string | null; figures: ReportFigures }[]> {
  const labels = input.by === "label" ? Prisma.sql`CROSS JOIN LATERAL unnest(f.labels) AS l(label)` : Prisma.empty;
  const rows = await figureRows<{ key: string | null }>(db, {
    where: factConditions(input.tenantId, input.filter, input.viewer),
    filter: input.filter,
    select: Prisma.sql`${dimensionColumn[input.by]} AS key`,
    from: labels,
    groupBy: dimensionColumn[input.by],
  });
  const keys = [...new Set(rows.map((row) => row.key))];
  const names = await namesOf(db, input.by, keys.filter((key): key is string => key !== null));
  return keys
    .map((key) => ({ key, name: key === null ? null : (names.get(key) ?? null), figures: figuresOf(rows.filter((row) => row.key === key)) }))
    .sort((a, b) => b.figures.conversations + b.figures.incoming - (a.figures.conversations + a.figures.incoming) || String(a.name ?? "￿").localeCompare(String(b.name ?? "￿")));
}

/** Names for a breakdown's keys, read through the workspace's own rows (another workspace's id names nothing). */
async function namesOf(db: DbClient, by: ReportDimension, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0 || by === "label") return new Map(keys.map((key) => [key, key]));
  if (by === "agent") {
    const members = await db.membership.findMany({ where: { userId: { in: keys } }, select: { userId: true, user: { select: { name: true } } } });
    return new Map(members.map((member) => [member.userId, member.user.name]));
  }
  const rows = by === "team" ? await db.team.findMany({ where: { id: { in: keys } }, select: { id: true, name: true } }) : await db.channel.findMany({ where: { id: { in: keys } }, select: { id: true, name: true } });
  return new Map(rows.map((row) => [row.id, row.name]));
}

export type DrillDownRow = {
  conversationId: string;
  contactName: string | null;
  /** When the fact happened, and for a time metric its length in seconds (calendar or business, as asked). */
  at: Date;
  seconds: number | null;
  cycle: number;
  agentId: string | null;
  teamId: string | null;
  status: string | null;
};

/**
 * The conversations behind a figure (drill-down): the facts of one metric over the days and
 * filters — of one period when `period` names its first day — newest first, in pages. A time
 * metric lists only the facts that have a time, longest wait first, as a lead looks for outliers.
 */
export async function reportConversations(
  db: DbClient,
  input: { tenantId: string; filter: ReportFilter; viewer: ReportViewer; metric: ReportMetric; period?: { groupBy: ReportGrouping; start: string }; limit: number; offset: number },
): Promise<{ items: DrillDownRow[]; total: number }> {
  const timed = input.metric === "first_response" || input.metric === "next_reply" || input.metric === "resolution_time";
  const conditions = [factConditions(input.tenantId, input.filter, input.viewer), Prisma.sql`f.kind = ${metricKinds[input.metric]}::"ReportFactKind"`];
  if (timed) conditions.push(Prisma.sql`${duration(input.filter)} IS NOT NULL`);
  if (input.period) conditions.push(Prisma.sql`date_trunc(${Prisma.raw(`'${input.period.groupBy}'`)}, f.day) = ${input.period.start}::date`);
  const where = Prisma.join(conditions, " AND ");
  const order = timed ? Prisma.sql`${duration(input.filter)} DESC, f.at DESC` : Prisma.sql`f.at DESC`;
  const [items, total] = await Promise.all([
    db.$queryRaw<(Omit<DrillDownRow, "seconds"> & { ms: bigint | null })[]>`
      SELECT f."conversationId", ct.name AS "contactName", f.at, ${duration(input.filter)} AS ms, f.cycle, f."agentId", f."teamId", c.status::text AS status
      FROM "ReportFact" f
      LEFT JOIN "Conversation" c ON c.id = f."conversationId"
      LEFT JOIN "Contact" ct ON ct.id = c."contactId"
      WHERE ${where} ORDER BY ${order}, f."eventId" DESC LIMIT ${input.limit} OFFSET ${input.offset}`,
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "ReportFact" f WHERE ${where}`,
  ]);
  return {
    items: items.map(({ ms, ...row }) => ({ ...row, seconds: ms === null ? null : seconds(Number(ms)) })),
    total: total[0]?.total ?? 0,
  };
}

export type ReportOverview = {
  open: number;
  unassigned: number;
  /** Open conversations waiting for an agent's reply, and the longest waits (oldest first). */
  waiting: number;
  waitingLongest: { conversationId: string; contactName: string | null; since: Date; assigneeId: string | null }[];
  /** Members by availability (online, busy, offline). */
  availability: Record<"online" | "busy" | "offline", number>;
  /** Open conversations per assignee (null: nobody), most first. */
  openPerAgent: { agentId: string | null; name: string | null; open: number }[];
};

/** The live counters: what is open now, who waits longest for a reply, who is there, who has what. An agent sees their own. */
export async function reportOverview(db: DbClient, input: { tenantId: string; viewer: ReportViewer }): Promise<ReportOverview> {
  const mine = input.viewer.all ? Prisma.empty : Prisma.sql`AND c."assigneeId" = ${input.viewer.userId}::uuid`;
  const [counts, waitingLongest, availability, perAgent] = await Promise.all([
    db.$queryRaw<{ open: number; unassigned: number; waiting: number }[]>`
      SELECT count(*) FILTER (WHERE c.status = 'open')::int AS open,
             count(*) FILTER (WHERE c.status = 'open' AND c."assigneeId" IS NULL)::int AS unassigned,
             (SELECT count(*)::int FROM "ReportState" s ${input.viewer.all ? Prisma.empty : Prisma.sql`JOIN "Conversation" c ON c.id = s."conversationId"`}
               WHERE s."tenantId" = ${input.tenantId}::uuid AND s."waitingSince" IS NOT NULL ${mine}) AS waiting
      FROM "Conversation" c WHERE c."tenantId" = ${input.tenantId}::uuid AND c.status IN ('open', 'pending') ${mine}`,
    db.$queryRaw<ReportOverview["waitingLongest"]>`
      SELECT s."conversationId", ct.name AS "contactName", s."waitingSince" AS since, c."assigneeId"
      FROM "ReportState" s JOIN "Conversation" c ON c.id = s."conversationId" LEFT JOIN "Contact" ct ON ct.id = c."contactId"
      WHERE s."tenantId" = ${input.tenantId}::uuid AND s."waitingSince" IS NOT NULL AND c.status IN ('open', 'pending') ${mine}
      ORDER BY s."waitingSince" LIMIT 5`,
    db.membership.groupBy({ by: ["availability"], _count: { _all: true } }),
    db.$queryRaw<{ agentId: string | null; name: string | null; open: number }[]>`
      SELECT c."assigneeId" AS "agentId", u.name, count(*)::int AS open
      FROM "Conversation" c LEFT JOIN "User" u ON u.id = c."assigneeId"
      WHERE c."tenantId" = ${input.tenantId}::uuid AND c.status = 'open' ${mine}
      GROUP BY 1, 2 ORDER BY 3 DESC, 2 LIMIT 50`,
  ]);
  const byStatus = { online: 0, busy: 0, offline: 0 };
  for (const row of availability) byStatus[row.availability] = row._count._all;
  return { ...counts[0]!, waitingLongest, availability: byStatus, openPerAgent: perAgent };
}
