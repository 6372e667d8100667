"use client";

import { useQueries } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useLayoutEffect, useRef, useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/lib/trpc/client";
import { dayLabel, sameDay, shortTime, useDateContext, type DateContext } from "./format";
import type { Attachment, MessageContent } from "@/lib/messages/content";
import { AttachmentView } from "./attachment-view";
import { MessageText } from "./message-text";
import { useWaitLabel } from "./use-wait-label";
import { AlertIcon, CheckIcon, ClockIcon, PersonIcon, PinIcon } from "./icons";

type Page = inferRouterOutputs<AppRouter>["messages"]["list"];
export type ThreadMessage = Page["messages"][number] & { optimistic?: "sending" | "error" };
export type AssignmentEntry = inferRouterOutputs<AppRouter>["conversations"]["assignments"][number];
/** A line between the messages: who got the conversation, and why. */
type AssignmentRow = { id: string; createdAt: Date; assignment: AssignmentEntry };
type Row = ThreadMessage | AssignmentRow;
const isAssignment = (row: Row): row is AssignmentRow => "assignment" in row;

/** The thread's rows in time order: the messages, and the assignment changes since the oldest loaded one. */
function withAssignments(messages: ThreadMessage[], assignments: AssignmentEntry[], complete: boolean): Row[] {
  const from = complete ? -Infinity : (messages[0]?.createdAt.getTime() ?? Infinity);
  const lines: AssignmentRow[] = assignments.filter((entry) => entry.at.getTime() >= from).map((entry) => ({ id: `assignment-${entry.id}`, createdAt: entry.at, assignment: entry }));
  if (lines.length === 0) return messages;
  const rows: Row[] = [];
  let next = 0;
  for (const message of messages) {
    while (next < lines.length && lines[next]!.createdAt.getTime() <= message.createdAt.getTime()) rows.push(lines[next++]!);
    rows.push(message);
  }
  return [...rows, ...lines.slice(next)];
}

/**
 * One conversation's messages, grouped by day, newest at the bottom, virtualized.
 * Older pages load when scrolled to the top (or with the button), keeping the
 * reading position.
 */
export function Thread(props: {
  slug: string;
  conversationId: string;
  messages: ThreadMessage[];
  olderCursor: string | null;
  onRetry: (messageId: string) => void;
  retrying?: string;
  /** Agents' names by user id, to say who wrote each reply and note. */
  agentNames: Map<string, string>;
  /** Who had the conversation and why (conversations.assignments), shown as lines between the messages. */
  assignments?: AssignmentEntry[];
}) {
  const t = useTranslations("inbox.thread");
  const dates = useDateContext();
  const trpc = useTRPC();
  const scrollRef = useRef<HTMLDivElement>(null);
  // Each "older" page is its own query, keyed by the cursor it starts before (the parent keys this component by conversation).
  const [cursors, setCursors] = useState<string[]>([]);
  const olderQueries = useQueries({ queries: cursors.map((before) => trpc.messages.list.queryOptions({ conversationId: props.conversationId, before, limit: 50 })) });
  const olderPages = olderQueries.map((query) => query.data?.messages ?? []).reverse();
  const loadingOlder = olderQueries.some((query) => query.isFetching);
  const lastOlder = olderQueries.at(-1);
  // While a page is on its way, its own cursor stands in (the button says "Loading…", not "the beginning").
  const nextCursor = cursors.length === 0 ? props.olderCursor : lastOlder?.data ? lastOlder.data.olderCursor : (cursors.at(-1) ?? null);

  const messages: ThreadMessage[] = [...olderPages.flat(), ...props.messages];
  const all: Row[] = withAssignments(messages, props.assignments ?? [], !nextCursor);
  // Only the bubbles on screen are in the page (measured as they render), so thousands scroll as smoothly as ten.
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer changes on every scroll by design
  const virtualizer = useVirtualizer({
    count: all.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 72,
    overscan: 12,
    getItemKey: (index) => all[index]!.id,
    paddingStart: 8,
    paddingEnd: 8,
  });

  // Stay at the bottom as messages arrive; when older ones are added on top, keep the message that was first in view.
  const atBottom = useRef(true);
  const anchor = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (anchor.current) {
      const index = all.findIndex((message) => message.id === anchor.current);
      anchor.current = null;
      if (index > 0) virtualizer.scrollToIndex(index, { align: "start" });
    } else if (atBottom.current && all.length > 0) {
      virtualizer.scrollToIndex(all.length - 1, { align: "end" });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on a change of length only
  }, [all.length]);

  const loadOlder = () => {
    if (!nextCursor || loadingOlder) return;
    anchor.current = all[0]?.id ?? null;
    setCursors((list) => [...list, nextCursor]);
  };

  // A notification's link (?message=…) brings its message into view, highlighted, once it is loaded.
  const highlighted = useSearchParams().get("message");
  const shownHighlight = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!highlighted || shownHighlight.current === highlighted) return;
    const index = all.findIndex((row) => row.id === highlighted);
    if (index < 0) return;
    shownHighlight.current = highlighted;
    atBottom.current = false;
    virtualizer.scrollToIndex(index, { align: "center" });
  });

  const items = virtualizer.getVirtualItems();
  return (
    <div
      ref={scrollRef}
      className="min-h-0 flex-1 overflow-y-auto bg-slate-50 px-4 dark:bg-slate-950"
      onScroll={(event) => {
        const element = event.currentTarget;
        atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
        if (element.scrollTop < 60) loadOlder();
      }}
      data-testid="thread"
    >
      {nextCursor ? (
        <div className="pt-3 text-center">
          <button type="button" onClick={loadOlder} className="rounded-full bg-white px-3 py-1 text-xs text-slate-600 shadow-sm hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-300">
            {loadingOlder ? t("loading") : t("loadOlder")}
          </button>
        </div>
      ) : (
        all.length > 0 && <p className="pt-3 text-center text-xs text-slate-400">{t("beginning")}</p>
      )}
      {all.length === 0 && <p className="mt-10 text-center text-sm text-slate-500">{t("empty")}</p>}
      <ol className="relative" aria-label={t("label")} data-count={all.length} style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const message = all[item.index]!;
          const previous = all[item.index - 1];
          const showDay = !previous || !sameDay(previous.createdAt, message.createdAt, dates.timeZone);
          return (
            <li key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="absolute left-0 top-0 flex w-full flex-col pb-1.5" style={{ transform: `translateY(${item.start}px)` }}>
              {showDay && (
                <div className="my-2 text-center">
                  <span className="rounded-full bg-slate-200/70 px-2.5 py-0.5 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">{dayLabel(message.createdAt, dates)}</span>
                </div>
              )}
              {isAssignment(message) ? (
                <AssignmentLine entry={message.assignment} names={props.agentNames} dates={dates} />
              ) : (
                <Bubble
                  slug={props.slug}
                  dates={dates}
                  message={message}
                  onRetry={props.onRetry}
                  retrying={props.retrying === message.id}
                  author={message.senderUserId ? props.agentNames.get(message.senderUserId) : undefined}
                  highlighted={message.id === highlighted}
                />
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function Bubble({
  slug,
  dates,
  message,
  onRetry,
  retrying,
  author,
  highlighted,
}: {
  slug: string;
  dates: DateContext;
  message: ThreadMessage;
  onRetry: (id: string) => void;
  retrying: boolean;
  author?: string;
  highlighted: boolean;
}) {
  const t = useTranslations("inbox.thread");
  const inbound = message.direction === "inbound";
  const attachments = (message.attachments ?? []) as Attachment[];
  const content = (message.content ?? {}) as MessageContent;
  const history = (message.editHistory ?? []) as { text: string | null; editedAt: string }[];
  const tone = message.isPrivate
    ? "border border-dashed border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
    : inbound
      ? "bg-white text-slate-900 shadow-sm dark:bg-slate-800 dark:text-slate-100"
      : "bg-sky-600 text-white";
  return (
    <div
      className={`flex ${inbound ? "justify-start" : "justify-end"}`}
      data-testid="message"
      data-direction={message.direction}
      data-private={message.isPrivate || undefined}
      data-highlighted={highlighted || undefined}
    >
      <div className={`max-w-[75%] rounded-2xl px-3 py-2 text-sm ${tone} ${highlighted ? "ring-4 ring-sky-400/70 ring-offset-2 ring-offset-slate-50 dark:ring-sky-500/70 dark:ring-offset-slate-950" : ""}`}>
        {message.isPrivate && <p className="mb-0.5 text-xs font-semibold uppercase tracking-wide text-amber-700 dark:text-amber-300">{author ? t("privateNoteBy", { author }) : t("privateNote")}</p>}
        {!message.isPrivate && !inbound && <p className="mb-0.5 text-xs font-semibold text-sky-100">{author ?? (message.senderType === "bot" ? t("bot") : t("agent"))}</p>}
        {content.from && <p className="mb-0.5 text-xs font-semibold opacity-80">{content.from.name}</p>}
        {content.callback && <p className="mb-0.5 text-xs opacity-75">{t("pressedButton")}</p>}
        {attachments.length > 0 && (
          <div className={`mb-1 grid gap-1 ${attachments.length > 1 ? "grid-cols-2" : ""}`}>
            {attachments.map((attachment, index) => (
              <AttachmentView key={index} slug={slug} messageId={message.id} index={index} attachment={attachment} pending={Boolean(message.optimistic)} />
            ))}
          </div>
        )}
        {content.location && (
          <a className="underline" href={`https://www.openstreetmap.org/?mlat=${content.location.latitude}&mlon=${content.location.longitude}`} target="_blank" rel="noreferrer">
            <span className="inline-flex items-center gap-1"><PinIcon /> {content.location.title || t("location", { latitude: content.location.latitude.toFixed(5), longitude: content.location.longitude.toFixed(5) })}</span>
            {content.location.address && <span className="block text-xs opacity-80">{content.location.address}</span>}
          </a>
        )}
        {content.contact && (
          <p className="flex items-center gap-1">
            <PersonIcon /> {content.contact.firstName} {content.contact.lastName} · {content.contact.phone}
          </p>
        )}
        {message.text && <MessageText text={message.text} mentions={content.mentions} />}
        <p className={`mt-0.5 flex items-center justify-end gap-1 text-[11px] ${inbound || message.isPrivate ? "text-slate-500 dark:text-slate-400" : "text-sky-100"}`}>
          {message.editedAt && (
            <span title={history.map((h) => `${shortTime(h.editedAt, dates)}: ${h.text ?? ""}`).join("\n")} className="italic">
              {t("edited")}
            </span>
          )}
          <time dateTime={message.createdAt.toISOString()}>{shortTime(message.createdAt, dates)}</time>
          {!inbound && !message.isPrivate && <Status message={message} />}
        </p>
        {message.deliveryStatus === "failed" && !message.optimistic && (
          <div className="mt-1 rounded-lg bg-red-50 px-2 py-1 text-xs text-red-800 dark:bg-red-950 dark:text-red-200" role="alert">
            {t("notDelivered", { reason: message.deliveryError ?? t("unknownReason") })}{" "}
            <button type="button" className="font-semibold underline" onClick={() => onRetry(message.id)} disabled={retrying}>
              {retrying ? t("retrying") : t("retry")}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

/** "Assigned to Anna by round robin", "Returned to queue: Anna went offline": one change of hands, centred between the messages. */
function AssignmentLine({ entry, names, dates }: { entry: AssignmentEntry; names: Map<string, string>; dates: DateContext }) {
  const t = useTranslations("inbox.thread.assignment");
  const waitLabel = useWaitLabel();
  const name = (id: string | null) => (id ? (names.get(id) ?? t("someone")) : t("someone"));
  const assignee = name(entry.assigneeId);
  let text: string;
  if (entry.reason === "manual") {
    if (entry.assigneeId) text = entry.by ? t("manual", { by: name(entry.by), assignee }) : t("manualNoBy", { assignee });
    else text = entry.by ? t("manualUnassigned", { by: name(entry.by) }) : t("manualUnassignedNoBy");
  } else if (!entry.assigneeId) {
    text = entry.reason === "offline" ? t("offline", { previous: name(entry.previousAssigneeId) }) : t("returned", { previous: name(entry.previousAssigneeId) });
  } else if (entry.reason === "queue") {
    text = t("queue", { assignee, wait: waitLabel(entry.waitedMs ?? 0) });
  } else {
    text = t(entry.rule === "balanced" ? "balanced" : "round_robin", { assignee });
  }
  return (
    <p className="my-1 text-center text-xs text-slate-500 dark:text-slate-400" data-testid="assignment-line" data-reason={entry.reason}>
      <span className="rounded-full bg-slate-200/60 px-2.5 py-0.5 dark:bg-slate-800/80">
        {text} · <time dateTime={entry.at.toISOString()}>{shortTime(entry.at, dates)}</time>
      </span>
    </p>
  );
}

function Status({ message }: { message: ThreadMessage }) {
  const t = useTranslations("inbox.thread.delivery");
  if (message.optimistic === "sending") return <span role="img" aria-label={t("sending")}><ClockIcon /></span>;
  if (message.optimistic === "error") return <span role="img" aria-label={t("notSent")}><AlertIcon /></span>;
  if (message.deliveryStatus === "pending") return <span role="img" aria-label={t("pending")} data-testid="status-pending"><ClockIcon /></span>;
  if (message.deliveryStatus === "failed") return <span role="img" aria-label={t("failed")}><AlertIcon /></span>;
  return (
    <span role="img" aria-label={t("sent")} data-testid="status-sent">
      <CheckIcon />
    </span>
  );
}
