"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiError } from "./api-error";
import { QueryStatus } from "./query-status";
import { QuarantinedUpdateItem, type QuarantinedUpdate } from "./quarantined-update-item";

/**
 * A channel's quarantine on the Channels page: how many updates could not be
 * stored, and, opened, the list of them. It stays open (with the last retry's
 * outcome) after the last one is resolved, until the admin closes it.
 */
export function QuarantinedUpdates({ channelId, count }: { channelId: string; count: number }) {
  const t = useTranslations("settings.channels.quarantine");
  const [open, setOpen] = useState(false);
  const listId = useId();
  if (count === 0 && !open) return null;
  return (
    <div className="mt-3 rounded-lg border border-amber-300 p-3 dark:border-amber-800">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-medium text-amber-800 dark:text-amber-200">{t("notice", { count })}</p>
        <Button type="button" variant="secondary" className="px-3 py-1.5" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
          {open ? t("hide") : t("show")}
        </Button>
      </div>
      <p className="mt-1 text-slate-600 dark:text-slate-400">{t("hint")}</p>
      {open ? <QuarantinedUpdateList id={listId} channelId={channelId} /> : null}
    </div>
  );
}

function QuarantinedUpdateList({ id, channelId }: { id: string; channelId: string }) {
  const t = useTranslations("settings.channels.quarantine");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useInfiniteQuery(trpc.quarantine.list.infiniteQueryOptions({ channelId, limit: 20 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.quarantine.list.pathFilter());
    void queryClient.invalidateQueries(trpc.channels.list.pathFilter());
  };
  // Kept here, not on the item: a stored update leaves the list, and its outcome must not leave with it.
  const [outcome, setOutcome] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const label = (item: QuarantinedUpdate) => (item.updateId === null ? t("noUpdateId") : t("updateId", { id: String(item.updateId) }));
  const retry = useMutation(trpc.quarantine.retry.mutationOptions({ onSettled: refresh }));
  const discard = useMutation(trpc.quarantine.discard.mutationOptions({ onSettled: refresh }));
  const failure = apiError(retry.error ?? discard.error);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  function onRetry(item: QuarantinedUpdate) {
    setOutcome(null);
    retry.mutate(
      { id: item.id },
      {
        onSuccess: (result) =>
          setOutcome(
            result.stored
              ? { tone: "success", text: t(`stored.${result.result}`, { update: label(item) }) }
              : { tone: "error", text: t("failedAgain", { update: label(item), error: result.error }) },
          ),
      },
    );
  }

  return (
    <div id={id} className="mt-3 flex flex-col gap-2">
      {failure ? <Alert tone="error">{failure.message}</Alert> : null}
      {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
      <QueryStatus query={list} loading={t("loading")} failed={t("loadFailed")} retryLabel={t("retryLoad")} empty={list.isSuccess && items.length === 0 && t("empty")} />
      <ul className="flex flex-col gap-2" aria-label={t("listLabel")}>
        {items.map((item) => (
          <QuarantinedUpdateItem
            key={item.id}
            item={item}
            busy={retry.isPending || discard.isPending}
            onRetry={() => onRetry(item)}
            onDiscard={() => {
              setOutcome(null);
              discard.mutate({ id: item.id });
            }}
          />
        ))}
      </ul>
      {list.hasNextPage ? (
        <Button type="button" variant="secondary" className="self-start px-3 py-1.5" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? t("loading") : t("more")}
        </Button>
      ) : null}
    </div>
  );
}
