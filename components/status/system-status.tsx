"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/client";

/** Live system status through tRPC; the server component prefetched the first answer. */
export function SystemStatus() {
  const t = useTranslations("home.status");
  const format = useFormatter();
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.health.check.queryOptions(), refetchInterval: 10_000 });

  if (health.isPending) {
    return <p className="text-slate-500" role="status">{t("checking")}</p>;
  }
  if (health.isError) {
    return (
      <p className="text-red-600 dark:text-red-400" role="alert">
        {t("noAnswer", { error: health.error.message })}
      </p>
    );
  }
  const { database } = health.data;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" role="status" aria-live="polite">
      <dt className="text-slate-500">{t("database")}</dt>
      <dd className="flex items-center gap-2">
        <span
          aria-hidden
          className={`inline-block size-2 rounded-full ${database.ok ? "bg-emerald-500" : "bg-red-500"}`}
        />
        {database.ok ? t("up", { latency: database.latencyMs }) : t("unreachable", { error: database.error })}
      </dd>
      <dt className="text-slate-500">{t("checked")}</dt>
      <dd>{format.dateTime(health.data.time, { timeStyle: "medium" })}</dd>
    </dl>
  );
}
