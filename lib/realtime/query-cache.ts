import type { QueryClient } from "@tanstack/react-query";
import type { TRPCOptionsProxy } from "@trpc/tanstack-react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import type { RealtimeEvent } from "./events";

type MessagePage = inferRouterOutputs<AppRouter>["messages"]["list"];
type Message = MessagePage["messages"][number];

/** Event payloads are JSON; the cache holds what tRPC (superjson) returns, with Dates. */
function reviveMessage(raw: Record<string, unknown>): Message {
  const date = (value: unknown) => (typeof value === "string" ? new Date(value) : (value as Date | null));
  return { ...raw, createdAt: date(raw.createdAt), updatedAt: date(raw.updatedAt), editedAt: date(raw.editedAt) ?? null } as Message;
}

/**
 * Applies an event of the log to the TanStack Query cache, so what is on screen
 * changes without a refetch: a new message is added to every loaded page of its
 * conversation's thread (once, in order), an updated one replaced where it is.
 * Conversation lists and details are marked stale, so those on screen reload.
 * Returns whether the cache was updated in place.
 */
export function applyRealtimeEvent(queryClient: QueryClient, trpc: TRPCOptionsProxy<AppRouter>, event: RealtimeEvent): boolean {
  // One person's notification centre (only their sockets get these): the bell's count at once, its list on next look.
  if (event.type === "notification.created" || event.type === "notification.read") {
    const unread = (event.data as { unread?: unknown }).unread;
    if (typeof unread === "number") queryClient.setQueryData(trpc.notifications.unreadCount.queryKey(), { unread });
    else void queryClient.invalidateQueries(trpc.notifications.unreadCount.pathFilter());
    void queryClient.invalidateQueries(trpc.notifications.list.pathFilter());
    return false;
  }
  // Lists and counts depend on many rows at once: the inbox reloads them (only the ones on screen refetch).
  void queryClient.invalidateQueries(trpc.conversations.list.pathFilter());
  if (event.conversationId) {
    void queryClient.invalidateQueries(trpc.conversations.get.queryFilter({ id: event.conversationId }));
    // Replies, notes and assignments make participants (the notifier, a moment after the event).
    void queryClient.invalidateQueries(trpc.conversations.participants.queryFilter({ id: event.conversationId }));
  }
  const raw = event.data.message as Record<string, unknown> | undefined;
  if ((event.type === "message.created" || event.type === "message.updated") && raw && event.conversationId) {
    const message = reviveMessage(raw);
    const filter = trpc.messages.list.queryFilter({ conversationId: event.conversationId });
    // A fetch of the thread that started before this event would land after it and put the old list back.
    void queryClient.cancelQueries(filter);
    for (const [key, page] of queryClient.getQueriesData<MessagePage>(filter)) {
      if (!page) continue;
      const at = page.messages.findIndex((existing) => existing.id === message.id);
      if (at >= 0) {
        // An older copy than the cache's is a repeat: keep the newer one.
        if (page.messages[at]!.updatedAt > message.updatedAt) continue;
        queryClient.setQueryData<MessagePage>(key, { ...page, messages: page.messages.map((existing, i) => (i === at ? message : existing)) });
        continue;
      }
      // A new message belongs to the newest page only (one fetched with a `before` cursor ends where it ends).
      const input = (key[1] as { input?: { before?: string } } | undefined)?.input;
      if (event.type === "message.updated" || input?.before) continue;
      // The sender's own bubble, shown while their send is on its way, is this message: it gives way to it.
      const others = message.clientMessageId ? page.messages.filter((existing) => existing.clientMessageId !== message.clientMessageId) : page.messages;
      const messages = [...others, message].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
      queryClient.setQueryData<MessagePage>(key, { ...page, messages });
    }
    return true;
  }
  return false;
}
