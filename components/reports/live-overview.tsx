"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { formatWait } from "@/lib/reports/format";
import { useTRPC } from "@/lib/trpc/client";
import { QueryStatus } from "@/components/settings/query-status";

const LIVE_MS = 30_000;

/** What is happening now: open, unassigned, waiting for a reply and who waits longest, who is there, who has what. */
export function LiveOverview({ slug }: { slug: string }) {
  const t = useTranslations("reports.live");
  const state = useTranslations("reports.state");
  const locale = useLocale();
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.reports.overview.queryOptions(), refetchInterval: LIVE_MS });
  const number = new Intl.NumberFormat(locale);
  const data = overview.data;
  const counter = (label: string, value: number, testId: string) => (
    <div className="rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/60" data-testid={testId}>
      <div className="text-xs text-slate-500 dark:text-slate-400">{label}</div>
      <div className="text-xl font-semibold tabular-nums">{number.format(value)}</div>
    </div>
  );
  return (
    <section aria-labelledby="live-heading" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="mb-3 flex items-baseline justify-between gap-2">
        <h2 id="live-heading" className="text-sm font-semibold">
          {t("title")}
        </h2>
        <span className="text-xs text-slate-500">{t("updated")}</span>
      </div>
      <QueryStatus query={overview} loading={state("loading")} failed={state("failed")} retryLabel={state("retry")} />
      {data ? (
        <div className="grid gap-4 lg:grid-cols-3">
          <div className="grid min-w-0 grid-cols-3 gap-2 lg:col-span-1">
            {counter(t("open"), data.open, "live-open")}
            {counter(t("unassigned"), data.unassigned, "live-unassigned")}
            {counter(t("waiting"), data.waiting, "live-waiting")}
            {counter(t("online"), data.availability.online, "live-online")}
            {counter(t("busy"), data.availability.busy, "live-busy")}
            {counter(t("offline"), data.availability.offline, "live-offline")}
          </div>
          {/* min-w-0 throughout: a customer's name may be as long as they like, and must not widen the page. */}
          <div className="min-w-0">
            <h3 className="mb-1 text-xs font-medium text-slate-500 dark:text-slate-400">{t("longest")}</h3>
            {data.waitingLongest.length === 0 ? (
              <p className="text-sm text-slate-500">{t("nobodyWaiting")}</p>
            ) : (
              <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
                {data.waitingLongest.map((item) => (
                  <li key={item.conversationId} className="flex justify-between gap-2 py-1.5">
                    <Link href={`/t/${slug}/inbox/${item.conversationId}`} className="min-w-0 truncate underline-offset-2 hover:underline">
                      {item.contactName ?? "—"}
                    </Link>
                    <span className="shrink-0 tabular-nums text-amber-700 dark:text-amber-400">{formatWait(Math.max(0, (overview.dataUpdatedAt - new Date(item.since).getTime()) / 1000), locale)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="min-w-0">
            <h3 className="mb-1 text-xs font-medium text-slate-500 dark:text-slate-400">{t("openPerAgent")}</h3>
            <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {data.openPerAgent.map((row) => (
                <li key={row.agentId ?? "nobody"} className="flex justify-between gap-2 py-1.5">
                  <span className="min-w-0 truncate">{row.name ?? t("nobody")}</span>
                  <span className="tabular-nums">{number.format(row.open)}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
    </section>
  );
}
