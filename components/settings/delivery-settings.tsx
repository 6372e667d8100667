"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { apiError } from "./api-error";
import { QueryStatus } from "./query-status";

const filters = ["all", "failed", "stuck"] as const;

/** Replies that did not reach the customer: why, and a retry or a discard for each. */
export function DeliverySettings({ slug }: { slug: string }) {
  const t = useTranslations("settings.delivery");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<(typeof filters)[number]>("all");
  const list = useInfiniteQuery(trpc.delivery.list.infiniteQueryOptions({ state, limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const refresh = () => void queryClient.invalidateQueries(trpc.delivery.list.pathFilter());
  const retry = useMutation(trpc.delivery.retry.mutationOptions({ onSettled: refresh }));
  const discard = useMutation(trpc.delivery.discard.mutationOptions({ onSettled: refresh }));
  const failure = apiError(retry.error ?? discard.error);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="flex flex-col gap-4">
      <div role="tablist" aria-label={t("filter")} className="flex gap-1">
        {filters.map((filter) => (
          <button
            key={filter}
            type="button"
            role="tab"
            aria-selected={state === filter}
            onClick={() => setState(filter)}
            className={`rounded-lg px-3 py-1.5 text-sm ${state === filter ? "bg-brand-50 font-medium text-brand-700 dark:bg-slate-800 dark:text-white" : "hover:bg-slate-100 dark:hover:bg-slate-900"}`}
          >
            {t(`filters.${filter}`)}
          </button>
        ))}
      </div>
      {failure ? <Alert tone="error">{failure.message}</Alert> : null}
      {retry.isSuccess ? <Alert tone="success">{t("retried")}</Alert> : null}
      <QueryStatus query={list} loading={t("loading")} failed={t("loadFailed")} retryLabel={t("retryLoad")} />
      {list.isSuccess && items.length === 0 ? <p className="rounded-xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500 dark:border-slate-700">{t("empty")}</p> : null}
      <ul className="flex flex-col gap-3">
        {items.map((item) => (
          <li key={item.messageId} className="rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800" data-testid="delivery-row">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <p className="font-medium">
                  {item.contact.name} <span className="font-normal text-slate-500">· {item.channel.name}</span>
                </p>
                <p className="truncate text-slate-600 dark:text-slate-400">{item.preview || t("noText")}</p>
                <p className="mt-1 text-xs text-slate-500">
                  {format.dateTime(item.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                  {item.autoReply ? ` · ${t("autoReply")}` : ""}
                </p>
              </div>
              <span
                className={`rounded-full px-2 py-0.5 text-xs font-medium ${item.state === "stuck" ? "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200" : "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200"}`}
              >
                {item.state === "stuck" ? t("stuck") : item.gaveUp ? t("deadLettered") : t("failed")}
              </span>
            </div>
            {item.reason ? <p className="mt-2 text-red-700 dark:text-red-400">{t("reason", { reason: item.reason })}</p> : null}
            <div className="mt-3 flex flex-wrap items-center gap-2">
              <Button type="button" variant="secondary" className="px-3 py-1.5" disabled={retry.isPending} onClick={() => retry.mutate({ messageId: item.messageId })}>
                {t("retry")}
              </Button>
              {item.state === "failed" ? (
                <ConfirmButton
                    label={t("discard")}
                    title={t("discardTitle")}
                    description={t("discardDescription", { name: item.contact.name })}
                    confirmLabel={t("discard")}
                    disabled={discard.isPending}
                  onConfirm={() => discard.mutate({ messageId: item.messageId })}
                />
              ) : null}
              <Link href={`/t/${slug}/inbox/${item.conversationId}`} className="text-sm text-brand-600 underline dark:text-brand-500">
                {t("open")}
              </Link>
            </div>
          </li>
        ))}
      </ul>
      {list.hasNextPage ? (
        <Button type="button" variant="secondary" className="self-start" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? t("loading") : t("more")}
        </Button>
      ) : null}
    </div>
  );
}
