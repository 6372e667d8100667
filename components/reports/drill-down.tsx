"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { formatWait } from "@/lib/reports/format";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "@/components/ui/button";
import { QueryStatus } from "@/components/settings/query-status";
import type { DrillTarget } from "./types";

const PAGE = 25;

/** The conversations behind a figure, a page at a time, each linking to the inbox. */
export function DrillDown({ slug, target, onClose }: { slug: string; target: DrillTarget; onClose: () => void }) {
  const t = useTranslations("reports.drill");
  const locale = useLocale();
  const format = useFormatter();
  const trpc = useTRPC();
  const timed = target.metric === "first_response" || target.metric === "next_reply" || target.metric === "resolution_time";
  const pages = useInfiniteQuery(
    trpc.reports.conversations.infiniteQueryOptions(
      { filter: target.filter, metric: target.metric, limit: PAGE },
      { initialCursor: 0, getNextPageParam: (last, all) => (all.length * PAGE < last.total ? all.length * PAGE : undefined) },
    ),
  );
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const total = pages.data?.pages[0]?.total ?? 0;
  return (
    <section aria-labelledby="drill-heading" className="rounded-xl border border-brand-300 bg-white shadow-sm dark:border-brand-700 dark:bg-slate-900" data-testid="drill-down">
      <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 id="drill-heading" className="text-sm font-semibold">
          {t("title", { metric: target.title })}
        </h2>
        <Button variant="secondary" className="min-h-9 py-1" onClick={onClose}>
          {t("close")}
        </Button>
      </div>
      <div className="p-4">
        <QueryStatus query={pages} loading={t("title", { metric: target.title })} failed={t("empty")} retryLabel={t("more")} empty={pages.data && items.length === 0 ? t("empty") : undefined} />
        {items.length > 0 ? (
          <table className="w-full text-sm">
            <thead className="text-xs text-slate-500 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-1 text-left font-medium">{t("contact")}</th>
                <th scope="col" className="py-1 text-left font-medium">{t("when")}</th>
                {timed ? <th scope="col" className="py-1 text-right font-medium">{t("value")}</th> : null}
                <th scope="col" className="py-1 text-right font-medium">
                  <span className="sr-only">{t("open")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {items.map((item) => (
                <tr key={`${item.conversationId}-${String(item.at)}-${item.cycle}`}>
                  <td className="py-2 [overflow-wrap:anywhere]">{item.contactName ?? t("unknownContact")}</td>
                  <td className="py-2 text-slate-600 dark:text-slate-400">{format.dateTime(new Date(item.at), { dateStyle: "medium", timeStyle: "short" })}</td>
                  {timed ? <td className="py-2 text-right tabular-nums">{formatWait(item.seconds, locale)}</td> : null}
                  <td className="py-2 text-right">
                    {item.status ? (
                      <Link href={`/t/${slug}/inbox/${item.conversationId}`} className="text-brand-700 underline-offset-2 hover:underline dark:text-brand-300">
                        {t("open")}
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {items.length > 0 ? (
          <div className="mt-3 flex items-center justify-between text-xs text-slate-500">
            <span>{t("shown", { shown: items.length, total })}</span>
            {pages.hasNextPage ? (
              <Button variant="secondary" className="min-h-9 py-1" disabled={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
                {t("more")}
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
