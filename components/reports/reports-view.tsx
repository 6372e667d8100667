"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { reportDimensions, reportGroupings, type ReportFilter, type ReportGrouping, type ReportMetric } from "@/lib/reports/filters";
import { addDays, naturalGrouping, todayIn, validRange } from "@/lib/reports/format";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { QueryStatus } from "@/components/settings/query-status";
import { BreakdownTable } from "./breakdown-table";
import { DrillDown } from "./drill-down";
import { FigureCards } from "./figure-cards";
import { LiveOverview } from "./live-overview";
import { TimeseriesChart } from "./timeseries-chart";
import type { DrillTarget } from "./types";

type Option = { id: string; name: string };
const presets = [7, 30, 90] as const;
const control = "min-h-9 max-md:min-h-11 rounded-lg border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900";

/**
 * The reports page: the live counters, then the chosen days' figures — cards, a chart, a breakdown
 * — under one set of filters; every number opens the conversations behind it, and the same report
 * downloads as CSV. An agent's page shows their own figures (the server sees to it).
 */
export function ReportsView({ slug, timeZone, allFigures, teams, channels, agents }: { slug: string; timeZone: string; allFigures: boolean; teams: Option[]; channels: Option[]; agents: Option[] }) {
  const t = useTranslations("reports");
  const trpc = useTRPC();
  const today = useMemo(() => todayIn(timeZone), [timeZone]);
  const [preset, setPreset] = useState<(typeof presets)[number] | "custom">(30);
  const [custom, setCustom] = useState({ from: addDays(today, -29), to: today });
  const [businessHours, setBusinessHours] = useState(false);
  const [filters, setFilters] = useState<{ channelId?: string; teamId?: string; agentId?: string; label?: string }>({});
  const [grouping, setGrouping] = useState<ReportGrouping | null>(null);
  const [drill, setDrill] = useState<DrillTarget | null>(null);

  const range = preset === "custom" ? custom : { from: addDays(today, -(preset - 1)), to: today };
  const rangeOk = validRange(range.from, range.to);
  const filter: ReportFilter = { ...range, businessHours, ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value)) };
  const groupBy = grouping ?? naturalGrouping(range.from, range.to);
  const summary = useQuery({ ...trpc.reports.summary.queryOptions(filter), enabled: rangeOk });
  const series = useQuery({ ...trpc.reports.timeseries.queryOptions({ filter, groupBy }), enabled: rangeOk });
  const open = (metric: ReportMetric, scope: ReportFilter, title: string) => setDrill({ metric, filter: scope, title });
  const setFilter = (key: keyof typeof filters, value: string) => setFilters((current) => ({ ...current, [key]: value || undefined }));
  const exportHref = (table: string) =>
    `/api/t/${slug}/reports/export?${new URLSearchParams({ table, groupBy, ...Object.fromEntries(Object.entries(filter).map(([key, value]) => [key, String(value)])) })}`;
  const empty = summary.data && summary.data.conversations + summary.data.incoming + summary.data.outgoing + summary.data.resolutions === 0;

  return (
    <div className="flex flex-col gap-5">
      <LiveOverview slug={slug} />

      <section aria-label={t("range.label")} className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div role="group" aria-label={t("range.label")} className="flex flex-wrap gap-1">
          {presets.map((days) => (
            <button key={days} type="button" aria-pressed={preset === days} onClick={() => setPreset(days)} className={`min-h-9 max-md:min-h-11 rounded-lg px-3 text-sm ${preset === days ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "border border-slate-300 dark:border-slate-700"}`}>
              {t(`range.last${days}`)}
            </button>
          ))}
          <button type="button" aria-pressed={preset === "custom"} onClick={() => (setCustom(range), setPreset("custom"))} className={`min-h-9 max-md:min-h-11 rounded-lg px-3 text-sm ${preset === "custom" ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "border border-slate-300 dark:border-slate-700"}`}>
            {t("range.custom")}
          </button>
        </div>
        {preset === "custom" ? (
          <>
            <label className="flex flex-col gap-1 text-xs text-slate-600 dark:text-slate-400">
              {t("range.from")}
              <input type="date" className={control} value={custom.from} max={today} onChange={(event) => setCustom((value) => ({ ...value, from: event.target.value }))} />
            </label>
            <label className="flex flex-col gap-1 text-xs text-slate-600 dark:text-slate-400">
              {t("range.to")}
              <input type="date" className={control} value={custom.to} max={today} onChange={(event) => setCustom((value) => ({ ...value, to: event.target.value }))} />
            </label>
          </>
        ) : null}
        {teams.length > 0 ? <OptionFilter label={t("filters.team")} all={t("filters.all")} options={teams} value={filters.teamId} onChange={(value) => setFilter("teamId", value)} /> : null}
        {channels.length > 1 ? <OptionFilter label={t("filters.channel")} all={t("filters.all")} options={channels} value={filters.channelId} onChange={(value) => setFilter("channelId", value)} /> : null}
        {allFigures ? <OptionFilter label={t("filters.agent")} all={t("filters.all")} options={agents} value={filters.agentId} onChange={(value) => setFilter("agentId", value)} /> : null}
        <label className="flex flex-col gap-1 text-xs text-slate-600 dark:text-slate-400">
          {t("filters.label")}
          <input className={`${control} w-32`} maxLength={50} placeholder={t("filters.labelPlaceholder")} value={filters.label ?? ""} onChange={(event) => setFilter("label", event.target.value.trim())} />
        </label>
        <label className="flex min-h-9 items-center gap-2 text-sm" title={t("businessHoursHint")}>
          <input type="checkbox" role="switch" className="size-4" checked={businessHours} onChange={(event) => setBusinessHours(event.target.checked)} />
          {t("businessHours")}
        </label>
        <details className="relative ml-auto">
          <summary className="flex min-h-9 cursor-pointer list-none items-center rounded-lg border border-slate-300 px-3 text-sm dark:border-slate-700">{t("download.title")}</summary>
          <ul className="absolute right-0 z-10 mt-1 w-52 rounded-lg border border-slate-200 bg-white p-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
            {(["periods", ...(allFigures ? reportDimensions : (["team", "channel", "label"] as const)), "facts"] as const).map((table) => (
              <li key={table}>
                <a className="flex min-h-9 items-center rounded px-2 hover:bg-slate-100 dark:hover:bg-slate-800" href={rangeOk ? exportHref(table) : undefined} download>
                  {t(`download.${table}`)}
                </a>
              </li>
            ))}
          </ul>
        </details>
      </section>

      {!rangeOk ? <Alert tone="error">{t("range.invalid")}</Alert> : null}
      {!allFigures ? <p className="text-sm text-slate-600 dark:text-slate-400">{t("ownFigures")}</p> : null}
      <QueryStatus query={summary} loading={t("state.loading")} failed={t("state.failed")} retryLabel={t("state.retry")} empty={empty ? t("state.empty") : undefined} />
      {summary.data ? <FigureCards figures={summary.data} onOpen={(metric, title) => open(metric, filter, title)} /> : null}
      {drill ? <DrillDown key={JSON.stringify(drill)} slug={slug} target={drill} onClose={() => setDrill(null)} /> : null}

      <section aria-labelledby="chart-heading" className="flex flex-col gap-2">
        <div className="flex items-center justify-between gap-2">
          <h2 id="chart-heading" className="text-sm font-semibold">{t("chart.title")}</h2>
          <label className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
            {t("chart.groupBy")}
            <select className={control} value={groupBy} onChange={(event) => setGrouping(event.target.value as ReportGrouping)}>
              {reportGroupings.map((unit) => (
                <option key={unit} value={unit}>{t(`chart.${unit}`)}</option>
              ))}
            </select>
          </label>
        </div>
        <QueryStatus query={series} loading={t("state.loading")} failed={t("state.failed")} retryLabel={t("state.retry")} />
        {series.data ? <TimeseriesChart points={series.data} groupBy={groupBy} /> : null}
      </section>

      {rangeOk ? <BreakdownTable filter={filter} dimensions={allFigures ? reportDimensions : (["team", "channel", "label"] as const)} onOpen={open} /> : null}

      <details className="rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-sm dark:border-slate-800 dark:bg-slate-900" data-testid="report-definitions">
        <summary className="cursor-pointer font-semibold">{t("definitions.title")}</summary>
        <ul className="mt-2 flex list-disc flex-col gap-1 pl-5 text-slate-700 dark:text-slate-300">
          {(["cycles", "firstResponse", "nextReply", "resolution", "counts", "business", "attribution"] as const).map((key) => (
            <li key={key}>{t(`definitions.${key}`)}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** One of the filters that pick from a list (team, channel, agent), "all" first. */
function OptionFilter({ label, all, options, value, onChange }: { label: string; all: string; options: Option[]; value: string | undefined; onChange: (value: string) => void }) {
  return (
    <label className="flex flex-col gap-1 text-xs text-slate-600 dark:text-slate-400">
      {label}
      <select className={control} value={value ?? ""} onChange={(event) => onChange(event.target.value)}>
        <option value="">{all}</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </label>
  );
}
