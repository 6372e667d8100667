"use client";

import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { reportDimensions, type ReportDimension, type ReportFilter, type ReportMetric } from "@/lib/reports/filters";
import { formatWait } from "@/lib/reports/format";
import { useTRPC } from "@/lib/trpc/client";
import { QueryStatus } from "@/components/settings/query-status";

const filterKey: Record<ReportDimension, "agentId" | "teamId" | "channelId" | "label"> = { agent: "agentId", team: "teamId", channel: "channelId", label: "label" };

/** The figures per agent, team, channel or label; each number opens its conversations. */
export function BreakdownTable({ filter, dimensions = reportDimensions, onOpen }: { filter: ReportFilter; dimensions?: readonly ReportDimension[]; onOpen: (metric: ReportMetric, filter: ReportFilter, title: string) => void }) {
  const t = useTranslations("reports");
  const locale = useLocale();
  const trpc = useTRPC();
  const [by, setBy] = useState<ReportDimension>(dimensions[0]!);
  const rows = useQuery(trpc.reports.breakdown.queryOptions({ filter, by }));
  const number = new Intl.NumberFormat(locale);
  const cell = "px-3 py-2 text-right tabular-nums";
  const link = "underline-offset-2 hover:underline";
  return (
    <section aria-labelledby="breakdown-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 id="breakdown-heading" className="text-sm font-semibold">
          {t("breakdown.title")}
        </h2>
        <div role="tablist" aria-labelledby="breakdown-heading" className="flex flex-wrap gap-1">
          {dimensions.map((dimension) => (
            <button
              key={dimension}
              type="button"
              role="tab"
              aria-selected={by === dimension}
              onClick={() => setBy(dimension)}
              className={`min-h-9 max-md:min-h-11 rounded-lg px-3 text-sm ${by === dimension ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
            >
              {t(`breakdown.${dimension}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="p-4">
        <QueryStatus query={rows} loading={t("state.loading")} failed={t("state.failed")} retryLabel={t("state.retry")} empty={rows.data?.length === 0 ? t("breakdown.empty") : undefined} />
      </div>
      {rows.data && rows.data.length > 0 ? (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[40rem] text-sm" data-testid="breakdown-table">
            <thead className="text-xs text-slate-500 dark:text-slate-400">
              <tr>
                <th scope="col" className="px-3 py-2 text-left font-medium">{t("breakdown.name")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figures.conversations")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figures.incoming")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figures.outgoing")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figures.resolutions")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figures.firstResponse")}</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{t("figures.resolutionTime")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {rows.data.map((row) => {
                const name = row.key === null ? t("breakdown.none") : (row.name ?? row.key);
                // A row without a key (no agent, no team) cannot be narrowed to; its numbers are not links.
                const narrowed = row.key === null ? null : { ...filter, [filterKey[by]]: row.key };
                const open = (metric: ReportMetric, value: string, label: string) =>
                  narrowed ? (
                    <button type="button" className={link} onClick={() => onOpen(metric, narrowed, `${label} · ${name}`)}>
                      {value}
                    </button>
                  ) : (
                    value
                  );
                const wait = (seconds: number | null) => formatWait(seconds, locale) ?? t("figures.none");
                return (
                  <tr key={row.key ?? "none"}>
                    <th scope="row" className="max-w-[16rem] px-3 py-2 text-left font-medium [overflow-wrap:anywhere]">{name}</th>
                    <td className={cell}>{open("conversations", number.format(row.figures.conversations), t("figures.conversations"))}</td>
                    <td className={cell}>{open("incoming", number.format(row.figures.incoming), t("figures.incoming"))}</td>
                    <td className={cell}>{open("outgoing", number.format(row.figures.outgoing), t("figures.outgoing"))}</td>
                    <td className={cell}>{open("resolutions", number.format(row.figures.resolutions), t("figures.resolutions"))}</td>
                    <td className={cell}>{open("first_response", wait(row.figures.firstResponse.median), t("figures.firstResponse"))}</td>
                    <td className={cell}>{open("resolution_time", wait(row.figures.resolutionTime.median), t("figures.resolutionTime"))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
