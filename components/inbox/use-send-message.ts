"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from "@/lib/client-header";
import { useTRPC, useTRPCClient } from "@/lib/trpc/client";
import type { ComposerSubmit } from "./composer";
import type { ThreadMessage } from "./thread";

/**
 * Sending from the composer: the bubble appears at once (optimistic), files are
 * uploaded first, and the sent message replaces the bubble — or the bubble goes
 * and the error reaches the composer.
 */
export function useSendMessage({ slug, me, conversationId }: { slug: string; me: { id: string }; conversationId: string | undefined }) {
  const t = useTranslations("inbox");
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const queryClient = useQueryClient();
  return async ({ text, isPrivate, files, mentions }: ComposerSubmit) => {
    if (!conversationId) return;
    const clientMessageId = crypto.randomUUID();
    const key = trpc.messages.list.queryKey({ conversationId });
    const now = new Date();
    const optimistic = {
      id: `pending-${clientMessageId}`,
      clientMessageId,
      direction: "outbound",
      senderType: "agent",
      senderUserId: me.id,
      isPrivate,
      text: text || null,
      attachments: files.map((file) => ({ kind: file.type.startsWith("image/") ? "photo" : "document", fileName: file.name })),
      content: mentions.length ? { mentions } : null,
      deliveryStatus: isPrivate ? "sent" : "pending",
      deliveryError: null,
      editedAt: null,
      editHistory: [],
      createdAt: now,
      updatedAt: now,
      optimistic: "sending",
    } as unknown as ThreadMessage;
    const withOut = (messages: ThreadMessage[]) => messages.filter((m) => m.id !== optimistic.id);
    // A fetch of the thread already under way would overwrite the bubble with the list from before it.
    await queryClient.cancelQueries({ queryKey: key });
    queryClient.setQueryData(key, (page) => (page ? { ...page, messages: [...page.messages, optimistic] } : page));
    try {
      const uploads = [];
      for (const file of files) {
        const form = new FormData();
        form.append("file", file);
        const response = await fetch(`/api/t/${slug}/uploads`, { method: "POST", body: form, headers: { [CLIENT_HEADER]: CLIENT_HEADER_VALUE } });
        const body = (await response.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
        if (!response.ok || !body.id) throw new Error(body.error?.message ?? t("uploadFailed", { file: file.name }));
        uploads.push({ uploadId: body.id });
      }
      // The client message id makes a retried send store one message, not two.
      const sent = await trpcClient.messages.send.mutate({ conversationId, text: text || undefined, isPrivate, attachments: uploads, clientMessageId, ...(mentions.length ? { mentions } : {}) });
      queryClient.setQueryData(key, (page) => {
        if (!page) return page;
        const rest = withOut(page.messages as ThreadMessage[]);
        return { ...page, messages: rest.some((m) => m.id === sent.id) ? rest : [...rest, sent] };
      });
    } catch (error) {
      queryClient.setQueryData(key, (page) => (page ? { ...page, messages: withOut(page.messages as ThreadMessage[]) } : page));
      throw error;
    }
  };
}
