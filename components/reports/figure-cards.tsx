"use client";

import { useLocale, useTranslations } from "next-intl";
import { formatWait } from "@/lib/reports/format";
import type { ReportFigures, ReportMetric, TimeFigures } from "@/lib/reports/filters";

const counts: { key: "conversations" | "incoming" | "outgoing" | "resolutions" | "reopens"; metric: ReportMetric }[] = [
  { key: "conversations", metric: "conversations" },
  { key: "incoming", metric: "incoming" },
  { key: "outgoing", metric: "outgoing" },
  { key: "resolutions", metric: "resolutions" },
  { key: "reopens", metric: "reopens" },
];

const times: { key: "firstResponse" | "nextReply" | "resolutionTime"; metric: ReportMetric }[] = [
  { key: "firstResponse", metric: "first_response" },
  { key: "nextReply", metric: "next_reply" },
  { key: "resolutionTime", metric: "resolution_time" },
];

const card = "rounded-xl border border-slate-200 bg-white p-4 text-left shadow-sm transition hover:border-brand-400 hover:shadow dark:border-slate-800 dark:bg-slate-900 dark:hover:border-brand-500";

/** The period's figures as cards; each opens the conversations behind it. */
export function FigureCards({ figures, onOpen }: { figures: ReportFigures; onOpen: (metric: ReportMetric, title: string) => void }) {
  const t = useTranslations("reports.figures");
  const locale = useLocale();
  const number = new Intl.NumberFormat(locale);
  const time = (value: TimeFigures) => formatWait(value.median, locale) ?? t("none");
  return (
    <div className="flex flex-col gap-3">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {counts.map(({ key, metric }) => (
          <button key={key} type="button" className={card} onClick={() => onOpen(metric, t(key))} title={t("open")} data-testid={`figure-${key}`}>
            <span className="block text-xs font-medium text-slate-500 dark:text-slate-400">{t(key)}</span>
            <span className="mt-1 block text-2xl font-semibold tabular-nums">{number.format(figures[key])}</span>
          </button>
        ))}
      </div>
      <div className="grid gap-3 md:grid-cols-3">
        {times.map(({ key, metric }) => {
          const value = figures[key];
          return (
            <button key={key} type="button" className={card} onClick={() => onOpen(metric, t(key))} title={t("open")} data-testid={`figure-${key}`}>
              <span className="block text-xs font-medium text-slate-500 dark:text-slate-400">{t(key)}</span>
              <span className="mt-1 block text-2xl font-semibold tabular-nums">
                {time(value)} <span className="text-xs font-normal text-slate-500">{t("median")}</span>
              </span>
              <span className="mt-1 block text-xs text-slate-500 dark:text-slate-400">
                {t("average")} {formatWait(value.average, locale) ?? t("none")} · {t("p90")} {formatWait(value.p90, locale) ?? t("none")} · {t("timed", { count: value.count })}
              </span>
            </button>
          );
        })}
      </div>
    </div>
  );
}
