"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { useTRPC } from "@/lib/trpc/client";

const conversationPath = /^\/t\/[^/]+\/inbox\/([0-9a-f-]{36})(?:\/|$)/i;

/**
 * What I have seen is read: arriving from a notification's link (a push, an email: ?notification=…)
 * reads that notification, and opening a conversation in the inbox reads what the bell holds about it.
 */
export function ReadOnArrival() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  const notification = useSearchParams().get("notification");
  const unread = useQuery(trpc.notifications.unreadCount.queryOptions()).data?.unread ?? 0;
  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: (result) => queryClient.setQueryData(trpc.notifications.unreadCount.queryKey(), { unread: result.unread }),
      onSettled: () => void queryClient.invalidateQueries(trpc.notifications.list.pathFilter()),
    }),
  );
  const { mutate } = markRead;
  const done = useRef(new Set<string>());
  const conversationId = conversationPath.exec(pathname)?.[1];

  useEffect(() => {
    const key = `${notification ?? ""}|${conversationId ?? ""}`;
    if ((!notification && !conversationId) || unread === 0 || done.current.has(key)) return;
    done.current.add(key);
    const ids = notification && /^[0-9a-f-]{36}$/i.test(notification) ? [notification] : undefined;
    mutate({ ...(ids ? { ids } : {}), ...(conversationId ? { conversationId } : {}) });
  }, [notification, conversationId, unread, mutate]);
  return null;
}
