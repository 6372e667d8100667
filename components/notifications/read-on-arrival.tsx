"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { useTRPC } from "@/lib/trpc/client";

const conversationPath = /^\/t\/[^/]+\/inbox\/([0-9a-f-]{36})(?:\/|$)/i;

/**
 * What I have seen is read: arriving from a notification's link (a push, an email: ?notification=…)
 * reads that notification, and the conversation open in the inbox has nothing unread in the bell —
 * what arrives about it while the tab is in view is read as it comes.
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
  const { mutate, isPending } = markRead;
  const arrived = useRef(new Set<string>());
  const conversationId = conversationPath.exec(pathname)?.[1];

  // A notification's own link, once.
  useEffect(() => {
    if (!notification || !/^[0-9a-f-]{36}$/i.test(notification) || arrived.current.has(notification)) return;
    arrived.current.add(notification);
    mutate({ ids: [notification] });
  }, [notification, mutate]);

  // The conversation on screen: what comes about it while I look at it is read at once (the bell stays quiet).
  useEffect(() => {
    if (!conversationId || unread === 0 || isPending || document.visibilityState !== "visible") return;
    mutate({ conversationId });
  }, [conversationId, unread, isPending, mutate]);
  return null;
}
