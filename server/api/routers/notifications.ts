import { z } from "zod";
import { createTRPCRouter, memberProcedure } from "@/server/api/trpc";
import { preferencesPatch } from "@/lib/notifications/preferences";
import { getPreferences } from "@/server/services/notifications/get-preferences";
import { listNotifications } from "@/server/services/notifications/list-notifications";
import { markRead } from "@/server/services/notifications/mark-read";
import { pushStatus } from "@/server/services/notifications/push-status";
import { subscribePush } from "@/server/services/notifications/subscribe-push";
import { unreadCount } from "@/server/services/notifications/unread-count";
import { unsubscribePush } from "@/server/services/notifications/unsubscribe-push";
import { updatePreferences } from "@/server/services/notifications/update-preferences";

/** Where the worker will POST: a push service's https URL, as every browser's PushManager gives (web-push speaks only https). */
const pushEndpoint = z
  .url({ message: "must be the push service's URL from PushManager.subscribe()" })
  .max(2048, "at most 2,048 characters")
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === "https:" && !url.username && !url.password;
  }, "must be an https URL of a push service");
const base64url = (bytes: string) => z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, `must be base64url (${bytes})`);

/** The signed-in person's notification centre, their choices, and their devices for push — theirs alone. */
export const notificationsRouter = createTRPCRouter({
  list: memberProcedure
    .input(z.object({ cursor: z.uuid().optional(), limit: z.number().int().min(1).max(100).default(30), unreadOnly: z.boolean().default(false) }).default({ limit: 30, unreadOnly: false }))
    .query(({ ctx, input }) => listNotifications(ctx.db, { userId: ctx.userId, ...input })),

  unreadCount: memberProcedure.query(async ({ ctx }) => ({ unread: await unreadCount(ctx.db, { userId: ctx.userId }) })),

  /** These entries, or every entry about a conversation (opening it reads its group). */
  markRead: memberProcedure
    .input(
      z
        .object({ ids: z.array(z.uuid()).min(1).max(200, "at most 200 at once").optional(), conversationId: z.uuid().optional() })
        .refine((value) => value.ids || value.conversationId, { message: "name the notifications (ids) or their conversation (conversationId)", path: ["ids"] }),
    )
    .mutation(({ ctx, input }) => markRead(ctx.db, { tenantId: ctx.tenantId, userId: ctx.userId, ...input })),

  markAllRead: memberProcedure.mutation(({ ctx }) => markRead(ctx.db, { tenantId: ctx.tenantId, userId: ctx.userId, all: true })),

  getPreferences: memberProcedure.query(({ ctx }) => getPreferences(ctx.db, { userId: ctx.userId })),

  updatePreferences: memberProcedure.input(preferencesPatch).mutation(({ ctx, input }) => updatePreferences(ctx.db, { tenantId: ctx.tenantId, userId: ctx.userId, patch: input })),

  /** The server's VAPID public key (null: push is off on this server), and whether this browser (its endpoint) receives pushes. */
  pushStatus: memberProcedure
    .input(z.object({ endpoint: pushEndpoint.optional() }).default({}))
    .query(({ ctx, input }) => pushStatus(ctx.db, { userId: ctx.userId, endpoint: input.endpoint })),

  subscribePush: memberProcedure
    .input(
      z.object({
        endpoint: pushEndpoint,
        keys: z.object({ p256dh: base64url("the browser's P-256 key").min(80).max(100), auth: base64url("16 bytes").min(16).max(32) }).strict(),
      }),
    )
    .mutation(({ ctx, input }) => subscribePush(ctx.db, { tenantId: ctx.tenantId, userId: ctx.userId, subscription: input, userAgent: ctx.headers.get("user-agent") })),

  unsubscribePush: memberProcedure
    .input(z.object({ endpoint: pushEndpoint }))
    .mutation(({ ctx, input }) => unsubscribePush(ctx.db, { userId: ctx.userId, endpoint: input.endpoint })),
});
