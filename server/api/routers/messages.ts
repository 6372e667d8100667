import { z } from "zod";
import { createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { forwardTyping } from "@/server/channels/core/forward-typing";
import { listMessages, retryMessage, sendMessage } from "@/server/services/messages/send-message";

export const messagesRouter = createTRPCRouter({
  list: scopedProcedure("conversations:read")
    .input(z.object({ conversationId: z.uuid(), before: z.uuid().optional(), limit: z.number().int().min(1).max(200).default(50) }))
    // Private notes are for the team: an API key reads them only with notes:read, as realtime sends them.
    .query(({ ctx, input }) => listMessages(ctx.db, { ...input, includePrivate: ctx.scopes.includes("notes:read") })),

  send: scopedProcedure("messages:write")
    .input(
      z.object({
        conversationId: z.uuid(),
        text: z.string().trim().max(20_000, "at most 20,000 characters").optional(),
        // Ids from POST /api/t/<slug>/uploads; each is sent as a photo or a document.
        attachments: z.array(z.object({ uploadId: z.uuid() })).max(10, "at most 10 files per reply").default([]),
        isPrivate: z.boolean().default(false),
        clientMessageId: z.string().min(1).max(100).optional(),
        replyToId: z.uuid().optional(),
        // Members a private note mentions: where in the text ("@Name") and who.
        mentions: z
          .array(z.object({ userId: z.uuid(), offset: z.number().int().min(0).max(20_000), length: z.number().int().min(1).max(200) }).strict())
          .max(50, "at most 50 mentions per note")
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      sendMessage(ctx.db, {
        tenantId: ctx.tenantId,
        conversationId: input.conversationId,
        text: input.text,
        uploadIds: input.attachments.map((attachment) => attachment.uploadId),
        isPrivate: input.isPrivate,
        clientMessageId: input.clientMessageId,
        replyToId: input.replyToId,
        mentions: input.mentions,
        actor: ctx.actor,
      }),
    ),

  /** Call while the agent types; shows "typing…" to the customer where their channel can, throttled per conversation. */
  typing: scopedProcedure("messages:write")
    .input(z.object({ conversationId: z.uuid() }))
    .mutation(({ ctx, input }) => forwardTyping(ctx.db, ctx.limiters.typing, input)),

  retry: scopedProcedure("messages:write")
    .input(z.object({ messageId: z.uuid() }))
    .mutation(({ ctx, input }) => retryMessage(ctx.db, { tenantId: ctx.tenantId, messageId: input.messageId })),
});
