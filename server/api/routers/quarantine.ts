import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "@/server/api/trpc";
import { discardQuarantinedUpdate } from "@/server/channels/telegram/quarantine/discard-quarantined-update";
import { listQuarantinedUpdates } from "@/server/channels/telegram/quarantine/list-quarantined-updates";
import { retryQuarantinedUpdate } from "@/server/channels/telegram/quarantine/retry-quarantined-update";

/** Telegram updates intake set aside because it could not read or store them (see take-update.ts). */
export const quarantineRouter = createTRPCRouter({
  /** A channel's quarantined updates, newest first: when, update id, error, attempts and a preview of the body. */
  list: adminProcedure
    .input(
      z.object({
        channelId: z.uuid(),
        status: z.enum(["pending", "retried", "discarded"]).default("pending"),
        cursor: z.string().max(500).optional(),
        limit: z.number().int().min(1).max(100).default(50),
      }),
    )
    .query(({ ctx, input }) => listQuarantinedUpdates(ctx.db, input)),

  /** Takes one in again (after a fix): `{ stored: true, result }`, or `{ stored: false, error }` with why it failed again. */
  retry: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => retryQuarantinedUpdate({ db: ctx.db, appPool: ctx.appPool }, { tenantId: ctx.tenantId, id: input.id, actor: ctx.actor })),

  discard: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => discardQuarantinedUpdate(ctx.db, { tenantId: ctx.tenantId, id: input.id, actor: ctx.actor })),
});
