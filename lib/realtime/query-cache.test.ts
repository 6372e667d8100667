import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "@/server/api/root";
import { applyRealtimeEvent } from "./query-cache";

// Only the query keys are used: nothing is fetched.
const queryClient = new QueryClient();
const trpc = createTRPCOptionsProxy<AppRouter>({ client: createTRPCClient<AppRouter>({ links: [httpLink({ url: "http://127.0.0.1:9/unused", transformer: superjson })] }), queryClient });
const conversationId = "00000000-0000-4000-8000-000000000001";
const key = trpc.messages.list.queryKey({ conversationId });
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
const message = (id: string, second: number, clientMessageId: string | null = null) => ({ id, clientMessageId, conversationId, text: id, createdAt: at(second), updatedAt: at(second), editedAt: null });
const created = (raw: ReturnType<typeof message>) => ({
  eventId: "1",
  tenantId: "t",
  type: "message.created" as const,
  conversationId,
  at: raw.createdAt.toISOString(),
  data: { message: { ...raw, createdAt: raw.createdAt.toISOString(), updatedAt: raw.updatedAt.toISOString() } },
});
const ids = () => (queryClient.getQueryData(key) as { messages: { id: string }[] }).messages.map((m) => m.id);

describe("a new message from the event log in the open thread", () => {
  it("replaces the sender's own bubble of it (same client message id), so the thread never shows it twice", () => {
    queryClient.setQueryData(key, { messages: [message("m1", 1), message("pending-c2", 2, "c2")], olderCursor: null } as never);
    applyRealtimeEvent(queryClient, trpc, created(message("m2", 2, "c2")));
    expect(ids()).toEqual(["m1", "m2"]);
  });

  it("is added once, in time order, beside messages without a client id", () => {
    queryClient.setQueryData(key, { messages: [message("m1", 1), message("m3", 3)], olderCursor: null } as never);
    applyRealtimeEvent(queryClient, trpc, created(message("m2", 2)));
    applyRealtimeEvent(queryClient, trpc, created(message("m2", 2)));
    expect(ids()).toEqual(["m1", "m2", "m3"]);
  });
});

describe("a person's notification events", () => {
  const notificationEvent = (type: "notification.created" | "notification.read", data: Record<string, unknown>) => ({ eventId: "9", tenantId: "t", type, conversationId: null, at: at(9).toISOString(), data });

  it("set the bell's count from what was read elsewhere, and leave the inbox's lists alone", () => {
    const lists = trpc.conversations.list.queryKey({ view: "all", status: "open" } as never);
    queryClient.setQueryData(lists, { conversations: [] } as never);
    queryClient.setQueryData(trpc.notifications.unreadCount.queryKey(), { unread: 5 });
    applyRealtimeEvent(queryClient, trpc, notificationEvent("notification.read", { userId: "u", ids: "all", unread: 0 }));
    expect(queryClient.getQueryData(trpc.notifications.unreadCount.queryKey())).toEqual({ unread: 0 });
    expect(queryClient.getQueryState(lists)?.isInvalidated).toBe(false);
  });

  it("mark the count and the centre's pages stale when a new entry arrives", () => {
    queryClient.setQueryData(trpc.notifications.unreadCount.queryKey(), { unread: 1 });
    const page = trpc.notifications.list.queryKey({ limit: 30, unreadOnly: false });
    queryClient.setQueryData(page, { notifications: [], nextCursor: null } as never);
    applyRealtimeEvent(queryClient, trpc, notificationEvent("notification.created", { userId: "u", notification: { id: "n" } }));
    expect(queryClient.getQueryState(trpc.notifications.unreadCount.queryKey())?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(page)?.isInvalidated).toBe(true);
  });
});
