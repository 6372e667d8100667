"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { auditActions, type AuditAction } from "@/lib/audit/actions";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "@/components/ui/button";
import { Field, SelectField } from "@/components/ui/field";
import { QueryStatus } from "./query-status";

/** "2026-11-27" from a date input → the start (or the end) of that day, in the browser's time zone. */
function dayBound(value: string, end: boolean): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const [year, month, day] = value.split("-").map(Number) as [number, number, number];
  return end ? new Date(year, month - 1, day, 23, 59, 59, 999) : new Date(year, month - 1, day);
}

function summary(metadata: unknown): string {
  if (!metadata || typeof metadata !== "object") return "";
  return Object.entries(metadata as Record<string, unknown>)
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}

export function AuditLogSettings() {
  const t = useTranslations("settings.auditLog");
  const format = useFormatter();
  const trpc = useTRPC();
  const [action, setAction] = useState<AuditAction | "">("");
  const [actor, setActor] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const members = useQuery(trpc.members.list.queryOptions());
  const fromDate = dayBound(from, false);
  const toDate = dayBound(to, true);
  const rangeError = fromDate && toDate && fromDate > toDate ? t("rangeError") : undefined;
  const log = useInfiniteQuery(
    trpc.auditLog.list.infiniteQueryOptions(
      { action: action || undefined, actorUserId: actor || undefined, from: fromDate, to: toDate, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, enabled: !rangeError },
    ),
  );
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(action || actor || from || to);

  return (
    <div className="flex flex-col gap-4">
      <div className="grid gap-3 rounded-xl border border-slate-200 p-4 sm:grid-cols-4 dark:border-slate-800" role="search" aria-label={t("filters")}>
        <SelectField label={t("action")} value={action} onChange={(event) => setAction(event.target.value as AuditAction | "")}>
          <option value="">{t("anyAction")}</option>
          {auditActions.map((candidate) => (
            <option key={candidate} value={candidate}>
              {candidate}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("actor")} value={actor} onChange={(event) => setActor(event.target.value)}>
          <option value="">{t("anyone")}</option>
          {members.data?.members.map((member) => (
            <option key={member.user.id} value={member.user.id}>
              {member.user.name}
            </option>
          ))}
        </SelectField>
        <Field label={t("from")} type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
        <Field label={t("to")} type="date" value={to} onChange={(event) => setTo(event.target.value)} error={rangeError} />
      </div>
      <QueryStatus query={log} loading={t("loading")} failed={t("loadFailed")} retryLabel={t("retry")} empty={log.isSuccess && items.length === 0 && (filtered ? t("noMatches") : t("empty"))} />
      {items.length > 0 ? (
        <div className="overflow-x-auto rounded-xl border border-slate-200 dark:border-slate-800">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:bg-slate-900">
              <tr>
                <th scope="col" className="px-3 py-2">{t("when")}</th>
                <th scope="col" className="px-3 py-2">{t("actor")}</th>
                <th scope="col" className="px-3 py-2">{t("action")}</th>
                <th scope="col" className="px-3 py-2">{t("details")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {items.map((item) => (
                <tr key={item.id} data-testid="audit-row">
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600 dark:text-slate-400">{format.dateTime(item.createdAt, { dateStyle: "medium", timeStyle: "medium" })}</td>
                  <td className="px-3 py-2">{item.actor?.name ?? (item.actorApiKeyId ? t("apiKey") : t("system"))}</td>
                  <td className="px-3 py-2">
                    <code className="font-mono text-xs">{item.action}</code>
                  </td>
                  <td className="max-w-md truncate px-3 py-2 text-xs text-slate-500" title={summary(item.metadata)}>
                    {summary(item.metadata)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.hasNextPage ? (
        <Button type="button" variant="secondary" className="self-start" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {log.isFetchingNextPage ? t("loading") : t("more")}
        </Button>
      ) : null}
    </div>
  );
}
