"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";

export type QuarantinedUpdate = inferRouterOutputs<AppRouter>["quarantine"]["list"]["items"][number];

/** One update intake could not store: when, which, why and the start of what arrived, with Retry and Discard. */
export function QuarantinedUpdateItem({ item, busy, onRetry, onDiscard }: { item: QuarantinedUpdate; busy: boolean; onRetry: () => void; onDiscard: () => void }) {
  const t = useTranslations("settings.channels.quarantine");
  const format = useFormatter();
  return (
    <li className="rounded-lg border border-amber-200 bg-amber-50/40 p-3 dark:border-amber-900 dark:bg-amber-950/30" data-testid="quarantined-update">
      <p className="text-xs text-slate-500 dark:text-slate-400">
        {format.dateTime(item.createdAt, { dateStyle: "medium", timeStyle: "medium" })} · {item.updateId === null ? t("noUpdateId") : t("updateId", { id: String(item.updateId) })} ·{" "}
        {t("attempts", { count: item.attempts })}
      </p>
      <p className="mt-1 text-red-700 dark:text-red-400">{t("reason", { reason: item.error })}</p>
      {/* Plain text, escaped by React: the body is whatever was sent, markup included. */}
      <pre
        className="mt-2 max-h-32 overflow-auto rounded bg-white p-2 font-mono text-xs break-all whitespace-pre-wrap text-slate-700 dark:bg-slate-950 dark:text-slate-300"
        aria-label={t("preview")}
      >
        {item.preview}
      </pre>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        {item.retriable ? (
          <Button type="button" variant="secondary" className="px-3 py-1.5" disabled={busy} onClick={onRetry}>
            {t("retry")}
          </Button>
        ) : (
          <span className="text-xs text-slate-500 dark:text-slate-400">{t("notRetriable")}</span>
        )}
        <ConfirmButton label={t("discard")} title={t("discardTitle")} description={t("discardDescription")} confirmLabel={t("discard")} disabled={busy} onConfirm={onDiscard} />
      </div>
    </li>
  );
}
