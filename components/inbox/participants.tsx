"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/client";

/**
 * Who takes part in the conversation (they get its notifications) and why — they replied, were
 * mentioned, assigned or added — with a way to add a teammate or take one off.
 */
export function Participants({ conversationId }: { conversationId: string }) {
  const t = useTranslations("notifications.participants");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.conversations.participants.queryOptions({ id: conversationId }));
  const members = useQuery(trpc.members.list.queryOptions(undefined, { staleTime: 60_000 }));
  const refresh = { onSuccess: (participants: NonNullable<typeof list.data>) => queryClient.setQueryData(trpc.conversations.participants.queryKey({ id: conversationId }), participants) };
  const add = useMutation(trpc.conversations.addParticipant.mutationOptions(refresh));
  const remove = useMutation(trpc.conversations.removeParticipant.mutationOptions(refresh));
  const taking = new Set(list.data?.map((participant) => participant.userId));
  const others = (members.data?.members ?? []).filter((member) => !taking.has(member.user.id));
  const failed = add.error ?? remove.error;
  return (
    <section aria-labelledby="participants-heading" className="mt-5" data-testid="participants">
      <h3 id="participants-heading" className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
        {t("title")}
      </h3>
      {list.data && list.data.length === 0 ? <p className="mt-1 text-xs text-slate-500">{t("none")}</p> : null}
      <ul className="mt-1 space-y-0.5">
        {list.data?.map((participant) => (
          <li key={participant.userId} className="flex items-center justify-between gap-2 text-xs">
            <span className="min-w-0 truncate">
              <span className="font-medium">{participant.name}</span> <span className="text-slate-500">· {t(`reason.${participant.reason}`)}</span>
            </span>
            <button
              type="button"
              aria-label={t("remove", { name: participant.name })}
              disabled={remove.isPending}
              onClick={() => remove.mutate({ id: conversationId, userId: participant.userId })}
              className="text-slate-500 hover:text-slate-900 max-md:flex max-md:size-11 max-md:items-center max-md:justify-center max-md:text-base dark:hover:text-white"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {others.length > 0 ? (
        <select
          aria-label={t("add")}
          value=""
          disabled={add.isPending}
          onChange={(event) => event.target.value && add.mutate({ id: conversationId, userId: event.target.value })}
          className="mt-1 w-full rounded border border-slate-300 bg-transparent px-1 py-0.5 text-xs max-md:h-11 max-md:text-base dark:border-slate-700"
        >
          <option value="">{t("add")}…</option>
          {others.map((member) => (
            <option key={member.user.id} value={member.user.id}>
              {member.user.name}
            </option>
          ))}
        </select>
      ) : null}
      {failed ? (
        <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          {failed.message}
        </p>
      ) : null}
    </section>
  );
}
