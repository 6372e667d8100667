import type { ReportFigures, ReportFilter, ReportMetric } from "@/lib/reports/filters";

/** What a figure on the page opens: its metric, and the filter it was counted under (a row of a breakdown adds its key). */
export type DrillTarget = { metric: ReportMetric; filter: ReportFilter; title: string };

export type { ReportFigures, ReportFilter, ReportMetric };
