import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { z } from "zod";
import { Prisma } from "@/server/db/generated/client";
import type { DbClient } from "@/server/db/client";
import { reportDimensions, reportFilterSchema, reportGroupings, type ReportFigures, type ReportFilter } from "@/lib/reports/filters";
import { factConditions, reportBreakdown, reportTimeseries, type ReportViewer } from "./report-queries";

/** What a download holds: every fact (one row per figure's event), the figures per period, or per agent, team, channel or label. */
export const exportTables = ["facts", "periods", ...reportDimensions] as const;
export type ExportTable = (typeof exportTables)[number];

/** The query string of a download, checked as the API checks its input. */
export const exportQuerySchema = z
  .object({
    table: z.enum(exportTables).default("periods"),
    groupBy: z.enum(reportGroupings).default("day"),
    from: z.string(),
    to: z.string(),
    channelId: z.string().optional(),
    teamId: z.string().optional(),
    agentId: z.string().optional(),
    label: z.string().optional(),
    businessHours: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
  })
  .strict()
  .transform(({ table, groupBy, ...filter }, context) => {
    const parsed = reportFilterSchema.safeParse(filter);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) context.addIssue({ ...issue, code: "custom", message: issue.message });
      return z.NEVER;
    }
    return { table, groupBy, filter: parsed.data };
  });

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or return) as a formula: a label or
 * a name someone typed must stay text, so such a cell gets a leading apostrophe (OWASP's advice).
 */
export function safeCell(value: unknown): unknown {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const figureColumns = [
  "conversations",
  "incoming",
  "outgoing",
  "resolutions",
  "reopens",
  ...["first_response", "next_reply", "resolution_time"].flatMap((metric) => [`${metric}_count`, `${metric}_average_s`, `${metric}_median_s`, `${metric}_p90_s`]),
];

function figureCells(figures: ReportFigures): unknown[] {
  const times = [figures.firstResponse, figures.nextReply, figures.resolutionTime].flatMap((time) => [time.count, time.average, time.median, time.p90]);
  return [figures.conversations, figures.incoming, figures.outgoing, figures.resolutions, figures.reopens, ...times];
}

const FACT_PAGE = 5000;

/**
 * A report as CSV rows, header first, a page at a time: `inTenant` runs each page's read in a
 * transaction of its own, so a download of a year of facts holds no transaction open while the
 * client reads. The facts are paged by their key (day, then event), never by offset.
 */
export async function* reportRows(
  inTenant: <T>(run: (db: DbClient) => Promise<T>) => Promise<T>,
  input: { tenantId: string; filter: ReportFilter; viewer: ReportViewer; table: ExportTable; groupBy: (typeof reportGroupings)[number]; pageSize?: number },
): AsyncGenerator<unknown[]> {
  const pageSize = input.pageSize ?? FACT_PAGE;
  const { tenantId, filter, viewer } = input;
  if (input.table === "periods") {
    yield ["period", ...figureColumns];
    for (const point of await inTenant((db) => reportTimeseries(db, { tenantId, filter, viewer, groupBy: input.groupBy }))) yield [point.period, ...figureCells(point.figures)];
    return;
  }
  if (input.table !== "facts") {
    yield [input.table, "name", ...figureColumns];
    for (const row of await inTenant((db) => reportBreakdown(db, { tenantId, filter, viewer, by: input.table as (typeof reportDimensions)[number] }))) yield [row.key ?? "", row.name ?? "", ...figureCells(row.figures)];
    return;
  }
  yield ["day", "at", "kind", "conversation_id", "cycle", "seconds", "business_seconds", "channel_id", "team_id", "agent_id", "labels"];
  type FactRow = { day: string; at: Date; kind: string; conversationId: string; cycle: number; millis: bigint | null; businessMillis: bigint | null; channelId: string | null; teamId: string | null; agentId: string | null; labels: string[]; eventId: bigint };
  let after: { day: string; eventId: bigint; kind: string } | null = null;
  for (;;) {
    const position: { day: string; eventId: bigint; kind: string } | null = after;
    const rows: FactRow[] = await inTenant((db) =>
      db.$queryRaw<FactRow[]>`
        SELECT to_char(f.day, 'YYYY-MM-DD') AS day, f.at, f.kind::text AS kind, f."conversationId", f.cycle, f.millis, f."businessMillis", f."channelId", f."teamId", f."agentId", f.labels, f."eventId"
        FROM "ReportFact" f
        WHERE ${factConditions(tenantId, filter, viewer)}
          ${position ? Prisma.sql`AND (f.day, f."eventId", f.kind) > (${position.day}::date, ${position.eventId}::bigint, ${position.kind}::"ReportFactKind")` : Prisma.empty}
        ORDER BY f.day, f."eventId", f.kind LIMIT ${pageSize}`,
    );
    for (const row of rows) {
      const seconds = (ms: bigint | null) => (ms === null ? "" : Number(ms) / 1000);
      yield [row.day, row.at.toISOString(), row.kind, row.conversationId, row.cycle, seconds(row.millis), seconds(row.businessMillis), row.channelId ?? "", row.teamId ?? "", row.agentId ?? "", row.labels.join(";")];
    }
    if (rows.length < pageSize) return;
    const last = rows.at(-1)!;
    after = { day: last.day, eventId: last.eventId, kind: last.kind };
  }
}

/** The rows as a CSV byte stream (RFC 4180, UTF-8 with a byte-order mark so spreadsheets read the names right), read as the client reads. */
export function csvStream(rows: AsyncIterable<unknown[]>): ReadableStream<Uint8Array> {
  const csv = stringify({ bom: true });
  void (async () => {
    try {
      for await (const row of rows) {
        // A client that went away destroys the stream: stop reading pages for it.
        if (csv.destroyed) return;
        if (!csv.write(row.map(safeCell))) await new Promise((resolve) => (csv.once("drain", resolve), csv.once("close", resolve)));
      }
      csv.end();
    } catch (error) {
      csv.destroy(error as Error);
    }
  })();
  return Readable.toWeb(csv) as ReadableStream<Uint8Array>;
}
