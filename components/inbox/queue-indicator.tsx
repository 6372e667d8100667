"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { useWaitLabel } from "./use-wait-label";

/**
 * The queue at a glance: how many conversations wait for an agent and how long the longest has
 * waited (ticking while shown). The inbox refetches it when assignments change.
 */
export function QueueIndicator() {
  const t = useTranslations("inbox.queue");
  const trpc = useTRPC();
  const waitLabel = useWaitLabel();
  const queue = useQuery({ ...trpc.assignment.queue.queryOptions(), refetchInterval: 60_000 });
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  if (queue.isPending) return <p className="h-4 text-xs text-slate-400" aria-busy="true" />;
  if (queue.isError) return <p className="text-xs text-slate-500">{t("failed")}</p>;
  const { waiting, oldestQueuedAt, inMyTeams } = queue.data;
  return (
    <p className="flex flex-wrap items-center gap-x-1.5 text-xs" role="status" aria-label={t("label")} data-testid="queue-indicator" data-waiting={waiting}>
      {waiting === 0 ? (
        <span className="text-slate-500 dark:text-slate-400">{t("empty")}</span>
      ) : (
        <>
          <span className="rounded-full bg-amber-100 px-1.5 font-semibold text-amber-900 dark:bg-amber-900 dark:text-amber-50">{t("waiting", { count: waiting })}</span>
          {oldestQueuedAt ? <span className="text-slate-600 dark:text-slate-300">{t("longest", { wait: waitLabel(now - oldestQueuedAt.getTime()) })}</span> : null}
          {inMyTeams > 0 ? <span className="text-slate-500 dark:text-slate-400">· {t("inMyTeams", { count: inMyTeams })}</span> : null}
        </>
      )}
    </p>
  );
}
