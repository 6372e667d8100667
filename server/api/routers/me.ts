import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { consoleLocales } from "@/lib/i18n/locales";
import { membershipsOf } from "@/server/auth/memberships";
import { authedProcedure, createTRPCRouter, tenantProcedure, userProcedure } from "@/server/api/trpc";
import { availabilities } from "@/lib/assignment/availability";
import { setAvailability } from "@/server/services/assignment/set-availability";

export const meRouter = createTRPCRouter({
  /** Who the caller is: the user and their workspaces, or the API key's tenant and scopes. */
  get: authedProcedure.meta({ access: "signed-in" }).query(async ({ ctx }) => {
    if (ctx.principal.kind === "apiKey") {
      const tenant = await ctx.systemDb.tenant.findUniqueOrThrow({
        where: { id: ctx.principal.tenantId },
        select: { id: true, slug: true, name: true },
      });
      return { kind: "apiKey" as const, apiKeyId: ctx.principal.apiKeyId, scopes: ctx.principal.scopes, tenant };
    }
    const user = await ctx.systemDb.user.findUnique({
      where: { id: ctx.principal.userId },
      select: { id: true, email: true, name: true, locale: true },
    });
    if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "this account no longer exists" });
    const memberships = await membershipsOf(ctx.systemDb, user.id);
    return { kind: "user" as const, user, memberships };
  }),

  /**
   * Whether I take new work in this workspace (the x-tenant one): online, busy (keep what I
   * have, get nothing new) or offline. A person's own; an API key has no availability.
   */
  setAvailability: tenantProcedure
    .meta({ access: "workspace" })
    .input(z.object({ status: z.enum(availabilities, { error: "online, busy or offline" }) }))
    .mutation(async ({ ctx, input }) => {
      if (ctx.principal.kind !== "user") throw new TRPCError({ code: "FORBIDDEN", message: "an API key has no availability; sign in" });
      const result = await setAvailability(ctx.db, { tenantId: ctx.tenantId, userId: ctx.principal.userId, status: input.status, reason: "manual" });
      return { status: result.status, returned: result.returned };
    }),

  /** The console's language for this user, on every device they sign in from. */
  setLocale: userProcedure.input(z.object({ locale: z.enum(consoleLocales) })).mutation(async ({ ctx, input }) => {
    await ctx.systemDb.user.update({ where: { id: ctx.user.userId }, data: { locale: input.locale } });
    return { locale: input.locale };
  }),
});
