import { z } from "zod";
import { adminProcedure, createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { connectTelegram } from "@/server/channels/telegram/connect-channel";
import { disconnectChannel } from "@/server/channels/telegram/disconnect-channel";
import { listChannels } from "@/server/channels/telegram/list-channels";
import { switchChannelMode } from "@/server/channels/telegram/switch-mode";

export const channelsRouter = createTRPCRouter({
  list: scopedProcedure("conversations:read").query(({ ctx }) => listChannels(ctx.db)),

  connectTelegram: adminProcedure
    .input(
      z.object({
        token: z.string().trim().min(1, "paste the bot token from @BotFather").max(100),
        name: z.string().trim().max(80).optional(),
        mode: z.enum(["webhook", "polling"]).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const channel = await connectTelegram(ctx.db, ctx.systemDb, { tenantId: ctx.tenantId, ...input, actor: ctx.actor });
      return { id: channel.id, name: channel.name, mode: channel.mode, status: channel.status, botUsername: channel.botUsername };
    }),

  disconnect: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const channel = await disconnectChannel(ctx.db, { tenantId: ctx.tenantId, id: input.id, actor: ctx.actor });
    return { id: channel.id, status: channel.status, disconnectedAt: channel.disconnectedAt };
  }),

  /** Webhook (Telegram calls us; needs a public https PUBLIC_URL) or polling (the worker asks Telegram). */
  setMode: adminProcedure.input(z.object({ id: z.uuid(), mode: z.enum(["webhook", "polling"]) })).mutation(async ({ ctx, input }) => {
    const channel = await switchChannelMode(ctx.db, { tenantId: ctx.tenantId, id: input.id, mode: input.mode, actor: ctx.actor });
    return { id: channel.id, mode: channel.mode, status: channel.status };
  }),
});
