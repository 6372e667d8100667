import { z } from "zod";
import { adminProcedure, createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { disconnectChannel } from "@/server/channels/core/disconnect-channel";
import { getChannel } from "@/server/channels/core/get-channel";
import { listChannels } from "@/server/channels/core/list-channels";
import { connectTelegram } from "@/server/channels/telegram/connect-channel";
import { switchChannelMode } from "@/server/channels/telegram/switch-mode";
import { createWebWidget } from "@/server/channels/web-widget/create-web-widget";
import { rotateWidgetSecret } from "@/server/channels/web-widget/rotate-widget-secret";
import { updateWebWidget } from "@/server/channels/web-widget/update-web-widget";
import { widgetSettingsShape } from "@/server/channels/web-widget/widget-settings";

const widgetName = z.string().trim().min(1, "a name is needed").max(80, "at most 80 characters");

export const channelsRouter = createTRPCRouter({
  list: scopedProcedure("conversations:read").query(({ ctx }) => listChannels(ctx.db)),

  /** One channel as `list` shows it: a widget's `details` carry its embed snippet (never its secret). */
  get: scopedProcedure("conversations:read")
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getChannel(ctx.db, input)),

  /**
   * A website live-chat widget: the sites it may run on (exact origins), its look and rules. Answers the
   * embed snippet and the identity-verification secret, which is shown this once (rotateWidgetSecret makes another).
   */
  createWebWidget: adminProcedure
    .input(
      z.object({
        name: widgetName,
        allowedOrigins: widgetSettingsShape.allowedOrigins,
        color: widgetSettingsShape.color,
        position: widgetSettingsShape.position,
        greeting: widgetSettingsShape.greeting.optional(),
        requireIdentity: widgetSettingsShape.requireIdentity.optional(),
        preChat: widgetSettingsShape.preChat.optional(),
      }),
    )
    .mutation(({ ctx, input }) => createWebWidget(ctx.db, { tenantId: ctx.tenantId, ...input, actor: ctx.actor })),

  /** Changes a widget's settings; what is left out stays. */
  updateWebWidget: adminProcedure
    .input(
      z.object({
        id: z.uuid(),
        name: widgetName.optional(),
        allowedOrigins: widgetSettingsShape.allowedOrigins.optional(),
        color: widgetSettingsShape.color.optional(),
        position: widgetSettingsShape.position.optional(),
        greeting: widgetSettingsShape.greeting.optional(),
        requireIdentity: widgetSettingsShape.requireIdentity.optional(),
        preChat: widgetSettingsShape.preChat.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { id, ...changes } = input;
      await updateWebWidget(ctx.db, { tenantId: ctx.tenantId, id, changes, actor: ctx.actor });
      return getChannel(ctx.db, { id });
    }),

  /** A new identity-verification secret, shown once; the old one stops verifying at once. */
  rotateWidgetSecret: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => rotateWidgetSecret(ctx.db, { tenantId: ctx.tenantId, id: input.id, actor: ctx.actor })),

  connectTelegram: adminProcedure
    .input(
      z.object({
        token: z.string().trim().min(1, "paste the bot token from @BotFather").max(100),
        name: z.string().trim().max(80).optional(),
        mode: z.enum(["webhook", "polling"]).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { channel, telegram } = await connectTelegram(ctx.db, ctx.systemDb, { tenantId: ctx.tenantId, ...input, actor: ctx.actor });
      return { id: channel.id, name: channel.name, mode: telegram.mode, status: channel.status, botUsername: telegram.botUsername };
    }),

  disconnect: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const channel = await disconnectChannel(ctx.db, { tenantId: ctx.tenantId, id: input.id, actor: ctx.actor });
    return { id: channel.id, status: channel.status, disconnectedAt: channel.disconnectedAt };
  }),

  /** Webhook (Telegram calls us; needs a public https PUBLIC_URL) or polling (the worker asks Telegram). */
  setMode: adminProcedure.input(z.object({ id: z.uuid(), mode: z.enum(["webhook", "polling"]) })).mutation(async ({ ctx, input }) => {
    const { channel, telegram } = await switchChannelMode(ctx.db, { tenantId: ctx.tenantId, id: input.id, mode: input.mode, actor: ctx.actor });
    return { id: channel.id, mode: telegram.mode, status: channel.status };
  }),
});
