"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useCallback, useId, useMemo, useRef, useState } from "react";
import { useDismiss } from "@/components/ui/use-dismiss";
import { useTRPC } from "@/lib/trpc/client";
import { groupNotifications } from "./group-notifications";
import { NotificationEntry } from "./notification-entry";

const PAGE = 30;

/**
 * The header's bell: my unread count in this workspace, kept live by the workspace's realtime
 * connection (notification.created / notification.read reach only my sockets), and my centre in
 * a panel — grouped by conversation, newest first, older pages on demand. Opening an entry marks
 * its whole group read and goes to the conversation, the message it is about highlighted.
 */
export function NotificationBell({ slug }: { slug: string }) {
  const t = useTranslations("notifications");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const count = useQuery(trpc.notifications.unreadCount.queryOptions());
  const list = useInfiniteQuery(
    trpc.notifications.list.infiniteQueryOptions({ limit: PAGE, unreadOnly: false }, { enabled: open, getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const settled = {
    onSuccess: (result: { unread: number }) => queryClient.setQueryData(trpc.notifications.unreadCount.queryKey(), { unread: result.unread }),
    onSettled: () => void queryClient.invalidateQueries(trpc.notifications.list.pathFilter()),
  };
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions(settled));
  const markAll = useMutation(trpc.notifications.markAllRead.mutationOptions(settled));
  const groups = useMemo(() => groupNotifications(list.data?.pages.flatMap((page) => page.notifications) ?? []), [list.data]);
  const unread = count.data?.unread ?? 0;

  useDismiss(open, root, useCallback(() => setOpen(false), []));

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-label={unread > 0 ? t("bellUnread", { count: unread }) : t("bell")}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((was) => !was)}
        data-testid="notification-bell"
        className="relative inline-flex size-9 items-center justify-center rounded-lg max-md:size-11 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
      >
        <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 ? (
          <span data-testid="notification-count" className="absolute -top-0.5 -right-0.5 min-w-[1.125rem] rounded-full bg-red-600 px-1 text-center text-[11px] leading-[1.125rem] font-semibold text-white">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          id={panelId}
          role="dialog"
          aria-label={t("title")}
          className="fixed inset-x-2 top-14 z-40 flex max-h-[calc(100dvh-4.5rem)] flex-col overflow-hidden rounded-xl border border-slate-200 bg-white shadow-xl sm:absolute sm:inset-x-auto sm:top-full sm:right-0 sm:mt-2 sm:w-96 dark:border-slate-700 dark:bg-slate-900"
        >
          <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-700">
            <h2 className="text-sm font-semibold">{t("title")}</h2>
            <button
              type="button"
              disabled={unread === 0 || markAll.isPending}
              onClick={() => markAll.mutate()}
              className="min-h-9 rounded-md px-2 text-xs font-medium text-sky-700 hover:bg-sky-50 disabled:cursor-not-allowed disabled:text-slate-400 dark:text-sky-300 dark:hover:bg-slate-800 dark:disabled:text-slate-600"
            >
              {t("markAllRead")}
            </button>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto" data-testid="notification-list">
            {list.isPending ? (
              <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400" role="status">
                {t("loading")}
              </p>
            ) : list.isError ? (
              <div className="flex flex-col items-start gap-2 px-4 py-6 text-sm" role="alert">
                <p className="text-red-700 dark:text-red-300">{t("loadFailed")}</p>
                <button type="button" onClick={() => void list.refetch()} className="rounded-md border border-slate-300 px-2 py-1 text-xs dark:border-slate-600">
                  {t("retry")}
                </button>
              </div>
            ) : groups.length === 0 ? (
              <p className="px-4 py-6 text-sm text-slate-500 dark:text-slate-400">{t("empty")}</p>
            ) : (
              <ul className="divide-y divide-slate-100 dark:divide-slate-800">
                {groups.map((group) => (
                  <li key={group.key}>
                    <NotificationEntry
                      slug={slug}
                      group={group}
                      onOpen={(href) => {
                        setOpen(false);
                        if (group.unread) markRead.mutate(group.latest.conversationId ? { conversationId: group.latest.conversationId } : { ids: group.ids });
                        router.push(href);
                      }}
                    />
                  </li>
                ))}
              </ul>
            )}
            {list.hasNextPage ? (
              <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} className="w-full px-4 py-3 text-sm text-sky-700 hover:bg-slate-50 dark:text-sky-300 dark:hover:bg-slate-800">
                {t("loadMore")}
              </button>
            ) : null}
          </div>
          <div className="border-t border-slate-200 px-4 py-2 dark:border-slate-700">
            <Link href={`/t/${slug}/notifications`} onClick={() => setOpen(false)} className="text-xs font-medium text-sky-700 hover:underline dark:text-sky-300">
              {t("preferencesLink")}
            </Link>
          </div>
        </div>
      ) : null}
    </div>
  );
}
