import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "@/server/api/trpc";
import { discardDelivery, listDeliveries, retryDelivery } from "@/server/services/delivery/deliveries";

export const deliveryRouter = createTRPCRouter({
  /** Replies that failed (with the reason, and whether the queue gave up) or are stuck pending, newest first. */
  list: adminProcedure
    .input(
      z
        .object({ state: z.enum(["failed", "stuck", "all"]).default("all"), cursor: z.string().max(500).optional(), limit: z.number().int().min(1).max(100).default(50) })
        .default({ state: "all", limit: 50 }),
    )
    .query(({ ctx, input }) => listDeliveries(ctx.db, input)),

  retry: adminProcedure
    .input(z.object({ messageId: z.uuid() }))
    .mutation(({ ctx, input }) => retryDelivery(ctx.db, { tenantId: ctx.tenantId, messageId: input.messageId, actor: ctx.actor })),

  discard: adminProcedure
    .input(z.object({ messageId: z.uuid() }))
    .mutation(({ ctx, input }) => discardDelivery(ctx.db, { tenantId: ctx.tenantId, messageId: input.messageId, actor: ctx.actor })),
});
