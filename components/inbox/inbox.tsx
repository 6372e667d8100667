"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useParams, useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useWorkspaceRealtime } from "@/components/workspace/workspace-realtime";
import { useTRPC } from "@/lib/trpc/client";
import { AvailabilitySwitch } from "./availability-switch";
import { ChannelFilter, type ChannelFilterValue } from "./channel-filter";
import { QueueIndicator } from "./queue-indicator";
import { Composer, type ComposerHandle } from "./composer";
import { ContactPanel } from "./contact-panel";
import { ConversationHeader } from "./conversation-header";
import { ConversationList } from "./conversation-list";
import { useDateContext } from "./format";
import { InboxLayout } from "./inbox-layout";
import { PaneButton } from "./pane-button";
import { ChevronLeftIcon } from "./icons";
import { playTone } from "./play-tone";
import { ShortcutHelp } from "./shortcut-help";
import { Thread, type ThreadMessage } from "./thread";
import { useMobilePane } from "./use-mobile-pane";
import { useSendMessage } from "./use-send-message";

type Status = "open" | "pending" | "snoozed" | "resolved";
type View = "mine" | "unassigned" | "my_teams" | "all";
type Sort = "recent" | "priority";
const statuses: Status[] = ["open", "pending", "snoozed", "resolved"];
const views: View[] = ["mine", "unassigned", "my_teams", "all"];

/** Who is typing, when it is the conversation's customer rather than a teammate. */
const CUSTOMER_TYPING = "customer";

/**
 * The agent inbox: conversations on the left, the thread in the middle, the
 * contact on the right (one at a time on a phone); live through the realtime
 * server, and driven by the keyboard as much as by the mouse (press ? for the shortcuts).
 */

export function Inbox(props: { slug: string; me: { id: string; name: string } }) {
  const t = useTranslations("inbox");
  const dates = useDateContext();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [view, setView] = useState<View>("all");
  const [status, setStatus] = useState<Status>("open");
  const [search, setSearch] = useState("");
  const [debouncedSearch, setDebouncedSearch] = useState("");
  const [help, setHelp] = useState(false);
  const [typingBy, setTypingBy] = useState<Record<string, Set<string>>>({});
  const composer = useRef<ComposerHandle>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => setDebouncedSearch(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const [notify, setNotify] = useState(false);
  const openId = useRef<string | undefined>(undefined);
  const realtime = useWorkspaceRealtime({
    onEvent: (event) => {
      // A team's conversations changed hands (a team was deleted, say): its count and the team lists follow.
      if (event.type === "team.changed") void queryClient.invalidateQueries(trpc.teams.list.pathFilter());
      // Dots follow availability; the queue follows whatever can change who waits.
      if (event.type === "availability.changed") void queryClient.invalidateQueries(trpc.members.list.pathFilter());
      if (["assignee.changed", "conversation.created", "conversation.status_changed", "availability.changed", "team.changed", "priority.changed"].includes(event.type)) {
        void queryClient.invalidateQueries(trpc.assignment.queue.pathFilter());
      }
      if (event.type === "assignee.changed" && event.conversationId) void queryClient.invalidateQueries(trpc.conversations.assignments.queryFilter({ id: event.conversationId }));
      // A customer wrote, and the agent is not looking at that conversation: a notification and a short tone.
      const message = event.data.message as { direction?: string; text?: string | null } | undefined;
      if (!notify || event.type !== "message.created" || message?.direction !== "inbound") return;
      if (event.conversationId === openId.current && document.visibilityState === "visible") return;
      const conversation = event.data.conversation as { lastMessagePreview?: string } | undefined;
      new Notification(t("newMessage"), { body: message.text ?? conversation?.lastMessagePreview ?? "", tag: event.conversationId ?? undefined });
      playTone();
    },
    onTyping: ({ conversationId, userId, contact, typing }) =>
      setTypingBy((current) => {
        const users = new Set(current[conversationId] ?? []);
        // The customer typing (a website visitor) has no user id: one entry stands for them.
        const who = contact ? CUSTOMER_TYPING : userId;
        if (!who) return current;
        if (typing) users.add(who);
        else users.delete(who);
        return { ...current, [conversationId]: users };
      }),
  });

  // --- the list ---------------------------------------------------------------------------
  const [channel, setChannel] = useState<ChannelFilterValue>({ kind: "", channelId: "" });
  const [label, setLabel] = useState("");
  const [teamId, setTeamId] = useState("");
  const [sort, setSort] = useState<Sort>("recent");
  const channels = useQuery(trpc.channels.list.queryOptions());
  const members = useQuery(trpc.members.list.queryOptions());
  const teams = useQuery(trpc.teams.list.queryOptions());
  // A team deleted meanwhile filters nothing any more: every team again.
  const activeTeamId = teams.data && !teams.data.some((team) => team.id === teamId) ? "" : teamId;
  const teamOptions = teams.data?.map((team) => (
    <option key={team.id} value={team.id}>
      {team.name}
    </option>
  ));
  const listInput = {
    view,
    status,
    search: debouncedSearch || undefined,
    channelKind: channel.kind || undefined,
    channelId: channel.channelId || undefined,
    label: label.trim() || undefined,
    teamId: activeTeamId || undefined,
    sort,
    limit: 50,
  };
  const list = useInfiniteQuery(
    trpc.conversations.list.infiniteQueryOptions(listInput, { getNextPageParam: (page) => page.nextCursor ?? undefined, initialCursor: undefined }),
  );
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const counts = list.data?.pages[0]?.counts;
  const loadMore = useCallback(() => void list.fetchNextPage(), [list]);

  // --- the open conversation -----------------------------------------------------------------
  const params = useParams<{ conversation?: string[] }>();
  const id = params.conversation?.[0];
  const panes = useMobilePane(props.slug, id);
  useEffect(() => {
    openId.current = id;
  }, [id]);
  const conversation = useQuery({ ...trpc.conversations.get.queryOptions({ id: id ?? "" }), enabled: Boolean(id) });
  const messages = useQuery({ ...trpc.messages.list.queryOptions({ conversationId: id ?? "" }), enabled: Boolean(id) });
  const assignments = useQuery({ ...trpc.conversations.assignments.queryOptions({ id: id ?? "" }), enabled: Boolean(id) });
  const markRead = useMutation(trpc.conversations.markRead.mutationOptions());
  const unread = conversation.data?.unreadCount ?? 0;
  useEffect(() => {
    if (id && unread > 0) markRead.mutate({ id });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per conversation and unread change
  }, [id, unread]);
  useEffect(() => {
    if (!id || realtime.status !== "live") return;
    void realtime.client?.joinConversation(id);
    return () => void realtime.client?.leaveConversation(id);
  }, [id, realtime.client, realtime.status]);

  const update = useMutation(
    trpc.conversations.update.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries(trpc.conversations.list.pathFilter());
        if (id) void queryClient.invalidateQueries(trpc.conversations.get.queryFilter({ id }));
      },
    }),
  );
  const retry = useMutation(trpc.messages.retry.mutationOptions());
  const canned = useQuery({ ...trpc.templates.list.queryOptions({ kind: "canned" }), staleTime: 5 * 60_000 });

  const send = useSendMessage({ slug: props.slug, me: props.me, conversationId: id });

  // --- keyboard -------------------------------------------------------------------------------
  const move = useCallback(
    (step: number) => {
      if (rows.length === 0) return;
      const at = rows.findIndex((row) => row.id === id);
      const next = rows[Math.min(rows.length - 1, Math.max(0, at + step))]!;
      router.push(`/t/${props.slug}/inbox/${next.id}`);
    },
    [rows, id, router, props.slug],
  );
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (target.closest("input, textarea, select, [contenteditable]") || event.metaKey || event.ctrlKey || event.altKey) return;
      const actions: Record<string, () => void> = {
        j: () => move(1),
        k: () => move(-1),
        r: () => composer.current?.focus("reply"),
        n: () => composer.current?.focus("note"),
        e: () => id && update.mutate({ id, status: conversation.data?.status === "resolved" ? "open" : "resolved" }),
        a: () => id && update.mutate({ id, assigneeId: props.me.id }),
        "/": () => searchInput.current?.focus(),
        "?": () => setHelp((shown) => !shown),
        Escape: () => setHelp(false),
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [move, id, update, conversation.data?.status, props.me.id]);

  const myAvailability = members.data?.members.find((member) => member.user.id === props.me.id)?.availability;
  const agentNames = useMemo(() => new Map((members.data?.members ?? []).map((member) => [member.user.id, member.user.name])), [members.data]);
  const typists = id ? [...(typingBy[id] ?? [])].filter((user) => user !== props.me.id) : [];
  const details = conversation.data;
  // The widget's names for its pre-chat questions, for the contact panel's answers.
  const channelDetails = channels.data?.find((channel) => channel.id === details?.channel.id)?.details;
  const fieldLabels = channelDetails?.kind === "web_widget" ? Object.fromEntries(channelDetails.preChat.fields.map((field) => [field.key, field.label])) : undefined;

  return (
    <div className="flex h-[calc(100dvh-49px)] min-h-0 flex-col">
      {realtime.status !== "live" && realtime.status !== "connecting" && (
        <div role="status" className={`px-4 py-1.5 text-center text-sm ${realtime.status === "ended" ? "bg-red-600 text-white" : "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-50"}`} data-testid="connection-banner">
          {realtime.status === "ended" ? t("liveStopped", { reason: realtime.detail ?? t("signInAgain") }) : t("reconnecting")}
        </div>
      )}
      <InboxLayout
        pane={panes.pane}
        listLabel={t("sidebar")}
        threadLabel={t("conversation.label")}
        list={
          <>
            {/* On a phone every control here is a 44 px touch target; the filters scroll sideways in one row. */}
            <div className="space-y-2 border-b border-slate-200 p-3 max-md:[&_button]:min-h-11 max-md:[&_select]:min-h-11 max-md:[&_select]:text-sm dark:border-slate-800">
              <div className="flex items-center justify-between">
                <h1 className="text-base font-semibold">{t("title")}</h1>
                <label className="ml-auto mr-2 flex items-center gap-1 text-xs text-slate-600 max-md:min-h-11 max-md:px-2 max-md:text-sm dark:text-slate-300">
                  <input
                    type="checkbox"
                    checked={notify}
                    onChange={async (event) => {
                      if (!event.target.checked) return setNotify(false);
                      if (typeof Notification === "undefined") return;
                      const permission = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
                      setNotify(permission === "granted");
                    }}
                  />
                  {t("notify")}
                </label>
                <span className={`size-2 rounded-full ${realtime.status === "live" ? "bg-emerald-500" : "bg-amber-500"}`} title={realtime.status === "live" ? t("live") : t("notLive")} aria-label={realtime.status === "live" ? t("live") : t("notLive")} />
              </div>
              <div className="flex items-center justify-between gap-2">
                <AvailabilitySwitch status={myAvailability} />
                <QueueIndicator />
              </div>
              <label className="sr-only" htmlFor="inbox-search">
                {t("filters.search")}
              </label>
              <input
                id="inbox-search"
                ref={searchInput}
                type="search"
                value={search}
                onChange={(event) => setSearch(event.target.value)}
                onKeyDown={(event) => event.key === "Escape" && event.currentTarget.blur()}
                placeholder={t("filters.searchPlaceholder")}
                maxLength={200}
                className="w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm outline-none max-md:min-h-11 max-md:text-base focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-slate-700 dark:bg-slate-950"
              />
              <div className="flex gap-1 max-md:[&>button]:flex-1" role="tablist" aria-label={t("filters.view")}>
                {views.map((option) => (
                  <button key={option} role="tab" aria-selected={view === option} onClick={() => setView(option)} className={`rounded-md px-2.5 py-1 text-xs font-medium ${view === option ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`}>
                    {t(`filters.views.${option}`)}
                  </button>
                ))}
              </div>
              <div className="flex flex-wrap gap-1 max-md:flex-nowrap max-md:overflow-x-auto max-md:[&>*]:shrink-0 max-md:[&_select]:max-w-none max-md:[&_select]:flex-none">
                <ChannelFilter channels={channels.data ?? []} value={channel} onChange={setChannel} />
                <label className="sr-only" htmlFor="inbox-label">
                  {t("filters.labelFilter")}
                </label>
                <input id="inbox-label" value={label} onChange={(event) => setLabel(event.target.value)} placeholder={t("filters.labelFilter")} maxLength={40} className="w-24 rounded-md border border-slate-300 bg-transparent px-1.5 py-1 text-xs max-md:min-h-11 max-md:text-base dark:border-slate-700" />
                {(teams.data?.length ?? 0) > 0 ? (
                  <select aria-label={t("filters.team")} value={activeTeamId} onChange={(event) => setTeamId(event.target.value)} className="max-w-32 rounded-md border border-slate-300 bg-transparent px-1.5 py-1 text-xs dark:border-slate-700">
                    <option value="">{t("filters.allTeams")}</option>
                    {teamOptions}
                  </select>
                ) : null}
                <select aria-label={t("filters.sort")} value={sort} onChange={(event) => setSort(event.target.value as Sort)} className="rounded-md border border-slate-300 bg-transparent px-1.5 py-1 text-xs dark:border-slate-700">
                  <option value="recent">{t("filters.sortRecent")}</option>
                  <option value="priority">{t("filters.sortPriority")}</option>
                </select>
              </div>
              <div className="flex gap-1" role="tablist" aria-label={t("filters.status")}>
                {statuses.map((option) => (
                  <button key={option} role="tab" aria-selected={status === option} onClick={() => setStatus(option)} className={`min-w-0 flex-1 rounded-md px-1.5 py-1 text-xs capitalize ${status === option ? "bg-sky-100 font-semibold text-sky-900 dark:bg-sky-900 dark:text-sky-50" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"}`}>
                    {t(`filters.tabs.${option}`)} {counts ? <span className="tabular-nums opacity-70">{counts[option]}</span> : null}
                  </button>
                ))}
              </div>
            </div>
            {list.isError ? (
              <p className="p-4 text-sm text-red-700" role="alert">
                {t("list.loadFailed", { error: list.error.message })}{" "}
                <button className="underline" onClick={() => void list.refetch()}>
                  {t("list.retry")}
                </button>
              </p>
            ) : (
              <ConversationList
                slug={props.slug}
                rows={rows}
                selectedId={id}
                loading={list.isLoading || list.isFetchingNextPage}
                hasMore={Boolean(list.hasNextPage)}
                loadMore={loadMore}
                emptyText={debouncedSearch ? t("list.noMatches", { search: debouncedSearch }) : t("list.empty", { status, view })}
              />
            )}
          </>
        }
        thread={
          !id ? (
            <div className="flex flex-1 flex-col items-center justify-center gap-2 text-center text-slate-500 dark:text-slate-400">
              <p className="text-lg font-medium">{t("conversation.pick")}</p>
              <p className="text-sm">{t("conversation.pickHint")}</p>
            </div>
          ) : conversation.isError ? (
            <div className="flex items-start gap-1 max-md:p-1">
              <PaneButton label={t("pane.backToList")} onClick={panes.back}>
                <ChevronLeftIcon />
              </PaneButton>
              <p className="m-6 text-sm text-red-700 max-md:mx-2 max-md:my-3" role="alert">
                {conversation.error.message === "no such conversation" ? t("conversation.notFound") : conversation.error.message}
              </p>
            </div>
          ) : (
            <>
              <ConversationHeader
                details={details}
                me={props.me}
                members={(members.data?.members ?? []).map((member) => ({ ...member.user, availability: member.availability }))}
                teams={teams.data ?? []}
                onUpdate={(changes) => details && update.mutate({ id: details.id, ...changes })}
                onBack={panes.back}
                onShowContact={panes.showContact}
              />
              {update.isError && (
                <p className="bg-red-50 px-4 py-1 text-xs text-red-800" role="alert">
                  {update.error.message}
                </p>
              )}
              {messages.isLoading ? (
                <div className="flex-1 animate-pulse bg-slate-50 dark:bg-slate-950" aria-busy="true" aria-label={t("conversation.loadingMessages")} />
              ) : (
                <Thread key={id} slug={props.slug} conversationId={id} messages={(messages.data?.messages ?? []) as ThreadMessage[]} olderCursor={messages.data?.olderCursor ?? null} onRetry={(messageId) => retry.mutate({ messageId })} retrying={retry.isPending ? retry.variables?.messageId : undefined} agentNames={agentNames} assignments={assignments.data} />
              )}
              <p className="h-5 px-4 text-xs text-slate-500 dark:text-slate-400" aria-live="polite" data-testid="typing">
                {typists.length > 0 ? t("conversation.typing", { count: typists.length, names: typists.map((user) => (user === CUSTOMER_TYPING ? (details?.contact.name ?? t("conversation.customer")) : (agentNames.get(user) ?? t("conversation.teammate")))).join(", ") }) : ""}
              </p>
              {/* On a phone: touch-sized buttons, and 16 px text so that focusing the field does not zoom the page. */}
              <div className="max-md:[&_button]:min-h-11 max-md:[&_label[for=composer-files]]:min-h-11 max-md:[&_textarea]:text-base">
                <Composer
                  ref={composer}
                  blocked={Boolean(details?.contact.blockedAt)}
                  disabled={!details}
                  onSubmit={send}
                  onTyping={(typing) => id && void realtime.client?.setTyping(id, typing)}
                  canned={canned.data ?? []}
                  locale={details?.contact.locale ?? null}
                  variables={{ firstName: details?.contact.name.split(/\s+/)[0], name: details?.contact.name, username: details?.contact.username ?? undefined, agentName: props.me.name }}
                />
              </div>
            </>
          )
        }
        contact={id && details ? <ContactPanel slug={props.slug} dates={dates} details={details} currentId={id} fieldLabels={fieldLabels} onLabels={(labels) => update.mutate({ id: details.id, labels })} onBack={panes.back} /> : null}
      />
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
