"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useRef } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { ChannelTag } from "./channel-kind";
import { initials, shortTime, useDateContext } from "./format";
import { PriorityChip } from "./priority";

type ListOutput = inferRouterOutputs<AppRouter>["conversations"]["list"];
export type ConversationRow = ListOutput["items"][number];

/**
 * The conversations of the current view and tab, virtualized: only the rows on
 * screen are in the page, so ten thousand scroll as smoothly as ten. Loads the
 * next page when the end comes into view.
 */
export function ConversationList(props: {
  slug: string;
  rows: ConversationRow[];
  selectedId?: string;
  loading: boolean;
  hasMore: boolean;
  loadMore: () => void;
  emptyText: string;
}) {
  const t = useTranslations("inbox.list");
  const dates = useDateContext();
  const parentRef = useRef<HTMLDivElement>(null);
  // The virtualizer changes on every scroll by design; this component is simply not memoized by the compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: props.rows.length, getScrollElement: () => parentRef.current, estimateSize: () => 76, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1);
  const { hasMore, loading, loadMore, rows } = props;
  useEffect(() => {
    if (last && last.index >= rows.length - 5 && hasMore && !loading) loadMore();
  }, [last, rows.length, hasMore, loading, loadMore]);
  const selectedIndex = rows.findIndex((row) => row.id === props.selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: "auto" });
  }, [selectedIndex, virtualizer]);

  if (props.loading && props.rows.length === 0) {
    return (
      <div className="flex-1 space-y-2 p-3" aria-busy="true" aria-label={t("loading")}>
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="h-16 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" />
        ))}
      </div>
    );
  }
  if (props.rows.length === 0) {
    return <p className="flex-1 p-6 text-center text-sm text-slate-500 dark:text-slate-400">{props.emptyText}</p>;
  }
  return (
    <div ref={parentRef} className="min-h-0 flex-1 overflow-y-auto" data-testid="conversation-list">
      <ul role="list" aria-label={t("label")} className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = props.rows[item.index]!;
          const selected = row.id === props.selectedId;
          return (
            <li key={row.id} className="absolute left-0 top-0 w-full" style={{ transform: `translateY(${item.start}px)`, height: item.size }}>
              <Link
                href={`/t/${props.slug}/inbox/${row.id}`}
                aria-current={selected ? "page" : undefined}
                data-testid="conversation-row"
                className={`flex h-full gap-3 border-b border-slate-100 px-3 py-2.5 outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-500 dark:border-slate-800/60 ${
                  selected ? "bg-sky-50 dark:bg-sky-950/40" : "hover:bg-slate-50 dark:hover:bg-slate-900"
                }`}
              >
                <span aria-hidden className="flex size-9 shrink-0 items-center justify-center rounded-full bg-gradient-to-br from-sky-400 to-indigo-500 text-xs font-semibold text-white">
                  {initials(row.contact.name)}
                </span>
                <span className="min-w-0 flex-1">
                  <span className="flex items-baseline justify-between gap-2">
                    <span className={`truncate text-sm ${row.unreadCount > 0 ? "font-semibold" : "font-medium"}`}>{row.contact.name}</span>
                    <time className="shrink-0 text-xs text-slate-500 dark:text-slate-400" dateTime={row.lastMessageAt?.toISOString()}>
                      {shortTime(row.lastMessageAt, dates)}
                    </time>
                  </span>
                  <span className="mt-0.5 flex items-center justify-between gap-2">
                    <span className="truncate text-sm text-slate-600 dark:text-slate-400">{row.lastMessagePreview ?? t("noMessages")}</span>
                    {row.unreadCount > 0 && (
                      <span className="shrink-0 rounded-full bg-sky-600 px-1.5 text-xs font-semibold text-white" aria-label={t("unread", { count: row.unreadCount })}>
                        {row.unreadCount}
                      </span>
                    )}
                  </span>
                  <span className="mt-0.5 flex min-w-0 items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400">
                    <PriorityChip priority={row.priority} />
                    <span className="max-w-[45%] shrink-0">
                      <ChannelTag channel={row.channel} />
                    </span>
                    <span aria-hidden>·</span>
                    <span className="truncate">
                      {row.assignee ? row.assignee.name : t("unassigned")}
                      {row.team ? ` · ${row.team.name}` : ""}
                    </span>
                    {row.labels.slice(0, 3).map((label) => (
                      <span key={label} className="rounded bg-slate-100 px-1 dark:bg-slate-800">
                        {label}
                      </span>
                    ))}
                  </span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
      {props.loading && <p className="p-2 text-center text-xs text-slate-500">{t("loadingMore")}</p>}
    </div>
  );
}
