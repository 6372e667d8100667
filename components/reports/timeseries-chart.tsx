"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ReportFigures, ReportGrouping } from "@/lib/reports/filters";

/**
 * New conversations (bars) and the median first response in minutes (a line) per period, drawn by
 * Recharts as SVG; a table with the same figures follows for screen readers.
 */
export function TimeseriesChart({ points, groupBy }: { points: { period: string; figures: ReportFigures }[]; groupBy: ReportGrouping }) {
  const t = useTranslations("reports.chart");
  const format = useFormatter();
  const label = (period: string) => {
    const date = new Date(`${period}T00:00:00Z`);
    return groupBy === "month" ? format.dateTime(date, { month: "short", year: "numeric", timeZone: "UTC" }) : format.dateTime(date, { day: "numeric", month: "short", timeZone: "UTC" });
  };
  const data = points.map((point) => ({
    period: label(point.period),
    conversations: point.figures.conversations,
    firstResponse: point.figures.firstResponse.median === null ? null : Math.round((point.figures.firstResponse.median / 60) * 10) / 10,
  }));
  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900" data-testid="report-chart">
      <div className="h-64 w-full text-xs">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-slate-200 dark:stroke-slate-800" />
            <XAxis dataKey="period" tick={{ fill: "currentColor" }} className="text-slate-500" />
            <YAxis yAxisId="count" allowDecimals={false} tick={{ fill: "currentColor" }} className="text-slate-500" />
            <YAxis yAxisId="minutes" orientation="right" tick={{ fill: "currentColor" }} className="text-slate-500" />
            <Tooltip contentStyle={{ borderRadius: 8 }} />
            <Legend />
            <Bar yAxisId="count" dataKey="conversations" name={t("conversations")} fill="#6366f1" radius={[4, 4, 0, 0]} isAnimationActive={false} />
            <Line yAxisId="minutes" dataKey="firstResponse" name={t("firstResponse")} stroke="#0ea5e9" strokeWidth={2} connectNulls dot={false} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {/* In a box of its own: a table keeps its columns' width whatever its own width says, so sr-only must clip a div. */}
      <div className="sr-only">
      <table>
        <caption>{t("title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("groupBy")}</th>
            <th scope="col">{t("conversations")}</th>
            <th scope="col">{t("firstResponse")}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((row) => (
            <tr key={row.period}>
              <td>{row.period}</td>
              <td>{row.conversations}</td>
              <td>{row.firstResponse ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
