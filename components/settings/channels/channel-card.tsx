"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { ChannelKindIcon } from "@/components/inbox/channel-kind";
import { Alert } from "@/components/ui/alert";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { apiError } from "../api-error";
import { QuarantinedUpdates } from "../quarantined-updates";
import type { ChannelItem } from "./types";

const statusTone: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  connecting: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200",
  error: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  disconnected: "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300",
};

/** One row of a card's facts. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className="min-w-0 [overflow-wrap:anywhere]">{children}</dd>
    </>
  );
}

/**
 * What every channel's card has, whatever its kind: the kind (icon and name),
 * the channel's name and status, its kind's own facts, the last error and
 * dates, the quarantine, and, while connected, the kind's actions and Disconnect.
 */
export function ChannelCard({
  channel,
  nameSuffix,
  facts,
  children,
  actions,
  busy,
  disconnectDescription,
}: {
  channel: ChannelItem;
  nameSuffix?: ReactNode;
  facts: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  /** Another of the card's changes is under way: Disconnect waits. */
  busy: boolean;
  disconnectDescription: string;
}) {
  const t = useTranslations("settings.channels");
  const common = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const disconnect = useMutation(trpc.channels.disconnect.mutationOptions({ onSettled: () => void queryClient.invalidateQueries(trpc.channels.list.pathFilter()) }));
  const failure = apiError(disconnect.error);
  const when = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" });
  return (
    <li className="rounded-lg border border-slate-200 p-4 text-sm dark:border-slate-800" data-testid="channel-row" data-kind={channel.kind}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 items-center gap-3">
          <span className="flex size-8 shrink-0 items-center justify-center rounded-lg bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200">
            <ChannelKindIcon kind={channel.kind} size={16} />
          </span>
          <div className="min-w-0">
            <h4 className="font-medium [overflow-wrap:anywhere]">
              {channel.name}
              {nameSuffix}
            </h4>
            <p className="text-xs text-slate-500 dark:text-slate-400">{common("channelKind", { kind: channel.kind })}</p>
          </div>
        </div>
        <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${statusTone[channel.status] ?? statusTone.disconnected}`}>{t(`status.${channel.status}`)}</span>
      </div>
      <dl className="mt-3 grid gap-x-6 gap-y-1 text-slate-600 sm:grid-cols-[auto_1fr] dark:text-slate-400">
        {facts}
        {channel.lastError ? (
          <Fact label={t("lastError")}>
            <span className="text-red-700 dark:text-red-400">
              {channel.lastError} {channel.lastErrorAt ? `(${when(channel.lastErrorAt)})` : ""}
            </span>
          </Fact>
        ) : null}
        <Fact label={t("connectedAt")}>{when(channel.createdAt)}</Fact>
        {channel.disconnectedAt ? <Fact label={t("disconnectedAt")}>{when(channel.disconnectedAt)}</Fact> : null}
      </dl>
      <QuarantinedUpdates channelId={channel.id} count={channel.quarantined} />
      {children}
      {failure ? (
        <div className="mt-3">
          <Alert tone="error">{failure.message}</Alert>
        </div>
      ) : null}
      {channel.status !== "disconnected" ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {actions}
          <ConfirmButton
            variant="danger"
            label={t("disconnect")}
            title={t("disconnectTitle", { name: channel.name })}
            description={disconnectDescription}
            confirmLabel={t("disconnect")}
            disabled={busy || disconnect.isPending}
            onConfirm={() => disconnect.mutate({ id: channel.id })}
          />
        </div>
      ) : null}
    </li>
  );
}
