import { z } from "zod";
import { createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { sendTyping } from "@/server/channels/telegram/send-typing";
import { listMessages, retryMessage, sendMessage } from "@/server/services/messages/send-message";

export const messagesRouter = createTRPCRouter({
  list: scopedProcedure("conversations:read")
    .input(z.object({ conversationId: z.uuid(), before: z.uuid().optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listMessages(ctx.db, input)),

  send: scopedProcedure("messages:write")
    .input(
      z.object({
        conversationId: z.uuid(),
        text: z.string().trim().min(1, "write something first").max(20_000, "at most 20,000 characters"),
        isPrivate: z.boolean().default(false),
        clientMessageId: z.string().min(1).max(100).optional(),
        replyToId: z.uuid().optional(),
      }),
    )
    .mutation(({ ctx, input }) => sendMessage(ctx.db, { tenantId: ctx.tenantId, ...input, actor: ctx.actor })),

  /** Call while the agent types; shows "typing…" in Telegram, throttled per conversation. */
  typing: scopedProcedure("messages:write")
    .input(z.object({ conversationId: z.uuid() }))
    .mutation(({ ctx, input }) => sendTyping(ctx.db, ctx.limiters.typing, input)),

  retry: scopedProcedure("messages:write")
    .input(z.object({ messageId: z.uuid() }))
    .mutation(({ ctx, input }) => retryMessage(ctx.db, { tenantId: ctx.tenantId, messageId: input.messageId })),
});
