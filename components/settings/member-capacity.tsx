"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { apiError } from "./api-error";

/**
 * A member's capacity for automatic assignment: a number of open conversations, or empty for
 * the workspace's default (shown as the placeholder). Saved on Enter or when the field is left.
 */
export function MemberCapacity({ userId, name, capacity, defaultCapacity }: { userId: string; name: string; capacity: number | null; defaultCapacity: number | undefined }) {
  const t = useTranslations("settings.members");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation(
    trpc.assignment.setCapacity.mutationOptions({
      onSuccess: () => setDraft(null),
      onSettled: () => void queryClient.invalidateQueries(trpc.members.list.pathFilter()),
    }),
  );
  const value = draft ?? (capacity === null ? "" : String(capacity));
  const commit = () => {
    if (draft === null) return;
    const next = draft.trim() === "" ? null : Number(draft);
    if (next === capacity) return setDraft(null);
    save.mutate({ userId, capacity: next });
  };
  const failure = apiError(save.error);
  const id = `capacity-${userId}`;
  return (
    <span className="flex flex-col">
      <span className="flex items-center gap-1.5">
        <label htmlFor={id} className="text-xs text-slate-500 dark:text-slate-400">
          <span aria-hidden="true">{t("capacityLabel")}</span>
          <span className="sr-only">{t("capacity", { name })}</span>
        </label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={1}
        max={1000}
        step={1}
        value={value}
        placeholder={defaultCapacity ? t("capacityDefault", { count: defaultCapacity }) : ""}
        title={t("capacityHint")}
        aria-invalid={failure ? true : undefined}
        disabled={save.isPending}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            commit();
          }
          if (event.key === "Escape") setDraft(null);
        }}
        data-testid="member-capacity"
        className="w-32 rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm aria-[invalid]:border-red-500 dark:border-slate-700 dark:bg-slate-900"
      />
      </span>
      {failure ? (
        <span role="alert" className="text-xs text-red-600 dark:text-red-400">
          {t("capacityFailed", { error: failure.fieldErrors.capacity?.[0] ?? failure.message })}
        </span>
      ) : null}
    </span>
  );
}
