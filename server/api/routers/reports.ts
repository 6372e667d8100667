import { z } from "zod";
import { createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { reportDimensions, reportFilterSchema, reportGroupings, reportMetrics } from "@/lib/reports/filters";
import { reportBreakdown, reportConversations, reportOverview, reportSummary, reportTimeseries, reportViewer, viewerMay } from "@/server/services/reports/report-queries";

/**
 * Support's figures (README, Reports). Owners and admins — and API keys with the admin scope — see
 * the team's; an agent sees their own (the agent filter is theirs, and another agent's is refused).
 */
const reportsProcedure = scopedProcedure("admin").use(({ ctx, next }) => next({ ctx: { viewer: reportViewer(ctx.role, ctx.actor.userId) } }));


export const reportsRouter = createTRPCRouter({
  /** Live: open, unassigned, waiting for a reply (and the longest waits), members by availability, open per agent. */
  overview: reportsProcedure.query(({ ctx }) => reportOverview(ctx.db, { tenantId: ctx.tenantId, viewer: ctx.viewer })),

  /** Every figure over the days (the workspace's time zone, both counted) and filters. */
  summary: reportsProcedure.input(reportFilterSchema).query(({ ctx, input }) => reportSummary(ctx.db, { tenantId: ctx.tenantId, filter: viewerMay(ctx.viewer, input), viewer: ctx.viewer })),

  /** The figures per day, week (from Monday) or month. */
  timeseries: reportsProcedure
    .input(z.object({ filter: reportFilterSchema, groupBy: z.enum(reportGroupings).default("day") }))
    .query(({ ctx, input }) => reportTimeseries(ctx.db, { tenantId: ctx.tenantId, filter: viewerMay(ctx.viewer, input.filter), viewer: ctx.viewer, groupBy: input.groupBy })),

  /** The figures per agent, team, channel or label. */
  breakdown: reportsProcedure
    .input(z.object({ filter: reportFilterSchema, by: z.enum(reportDimensions) }))
    .query(({ ctx, input }) => reportBreakdown(ctx.db, { tenantId: ctx.tenantId, filter: viewerMay(ctx.viewer, input.filter), viewer: ctx.viewer, by: input.by })),

  agents: reportsProcedure.input(reportFilterSchema).query(({ ctx, input }) => reportBreakdown(ctx.db, { tenantId: ctx.tenantId, filter: viewerMay(ctx.viewer, input), viewer: ctx.viewer, by: "agent" })),
  teams: reportsProcedure.input(reportFilterSchema).query(({ ctx, input }) => reportBreakdown(ctx.db, { tenantId: ctx.tenantId, filter: viewerMay(ctx.viewer, input), viewer: ctx.viewer, by: "team" })),

  /** The conversations behind a figure: one metric's facts, of one period if named, in pages. */
  conversations: reportsProcedure
    .input(
      z.object({
        filter: reportFilterSchema,
        metric: z.enum(reportMetrics),
        period: z.object({ groupBy: z.enum(reportGroupings), start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD") }).optional(),
        limit: z.number().int().min(1).max(100).default(50),
        /** Where the page starts: how many came before it (the answer's `total` says how many there are). */
        cursor: z.number().int().min(0).max(100_000, "narrow the filters to look further").default(0),
      }),
    )
    .query(({ ctx, input: { cursor, ...input } }) =>
      reportConversations(ctx.db, { tenantId: ctx.tenantId, ...input, offset: cursor, filter: viewerMay(ctx.viewer, input.filter), viewer: ctx.viewer }),
    ),
});
