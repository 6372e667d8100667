import { z } from "zod";

/** How far one report may reach: a year and a day (the date-range picker offers up to a year). */
export const MAX_REPORT_DAYS = 366;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD").refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), "not a date");

/** The days between two dates, both counted ("2026-03-01" to "2026-03-01" is one day). */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/**
 * What every report takes: the days (in the workspace's time zone, both counted), the filters, and
 * whether times are business time. Shared by the API and the reports page.
 */
export const reportFilterSchema = z
  .object({
    from: day,
    to: day,
    channelId: z.uuid().optional(),
    teamId: z.uuid().optional(),
    agentId: z.uuid().optional(),
    label: z.string().trim().min(1).max(50, "at most 50 characters").optional(),
    businessHours: z.boolean().default(false),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.from > value.to) context.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
    else if (daysBetween(value.from, value.to) > MAX_REPORT_DAYS) context.addIssue({ code: "custom", path: ["to"], message: `at most ${MAX_REPORT_DAYS} days after from` });
  });

export type ReportFilter = z.infer<typeof reportFilterSchema>;

export const reportGroupings = ["day", "week", "month"] as const;
export type ReportGrouping = (typeof reportGroupings)[number];

export const reportDimensions = ["agent", "team", "channel", "label"] as const;
export type ReportDimension = (typeof reportDimensions)[number];

/** The figures a drill-down lists the conversations of. */
export const reportMetrics = ["conversations", "incoming", "outgoing", "resolutions", "reopens", "first_response", "next_reply", "resolution_time"] as const;
export type ReportMetric = (typeof reportMetrics)[number];

/** A time metric over its facts, in seconds: how many, their average, median and 90th percentile (null without any). */
export type TimeFigures = { count: number; average: number | null; median: number | null; p90: number | null };

export type ReportFigures = {
  conversations: number;
  incoming: number;
  outgoing: number;
  resolutions: number;
  reopens: number;
  firstResponse: TimeFigures;
  nextReply: TimeFigures;
  resolutionTime: TimeFigures;
};
