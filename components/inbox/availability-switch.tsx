"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/client";
import { availabilities, type Availability } from "@/lib/assignment/availability";
import { AvailabilityDot } from "./availability-dot";

/**
 * My availability in this workspace: online (new conversations come to me), busy (I keep mine,
 * nothing new) or offline. Everyone's inbox shows the change live (availability.changed).
 */
export function AvailabilitySwitch({ status }: { status: Availability | undefined }) {
  const t = useTranslations("inbox.availability");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const change = useMutation(
    trpc.me.setAvailability.mutationOptions({
      onSettled: () => void queryClient.invalidateQueries(trpc.members.list.pathFilter()),
    }),
  );
  const shown = change.isPending ? change.variables.status : status;
  return (
    <div className="flex items-center gap-1.5">
      {shown ? <AvailabilityDot status={shown} label={t(shown)} /> : null}
      <select
        aria-label={t("label")}
        value={shown ?? ""}
        disabled={!shown || change.isPending}
        onChange={(event) => change.mutate({ status: event.target.value as Availability })}
        title={shown ? t(`${shown}Hint`) : undefined}
        data-testid="availability-switch"
        className="rounded-md border border-slate-300 bg-transparent px-1 py-0.5 text-xs dark:border-slate-700"
      >
        {!shown ? <option value="">…</option> : null}
        {availabilities.map((option) => (
          <option key={option} value={option}>
            {t(option)}
          </option>
        ))}
      </select>
      {change.isError ? (
        <span role="alert" className="text-xs text-red-700 dark:text-red-300">
          {t("changeFailed", { error: change.error.message })}
        </span>
      ) : change.data && change.data.returned > 0 ? (
        <span role="status" className="text-xs text-slate-500 dark:text-slate-400">
          {t("returned", { count: change.data.returned })}
        </span>
      ) : null}
    </div>
  );
}
