import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { tenantSlugSchema } from "@/lib/validation";
import { createTRPCRouter, ownerProcedure, tenantProcedure } from "@/server/api/trpc";

export const workspaceRouter = createTRPCRouter({
  /** The current workspace and the caller's role in it. */
  get: tenantProcedure.meta({ access: "workspace" }).query(async ({ ctx }) => {
    const tenant = await ctx.db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { id: true, slug: true, name: true, createdAt: true } });
    return { ...tenant, role: ctx.role };
  }),

  /** Deletes the workspace and all its data. Owners only; the slug must be typed to confirm. */
  delete: ownerProcedure.input(z.object({ confirmSlug: tenantSlugSchema })).mutation(async ({ ctx, input }) => {
    const tenant = await ctx.db.tenant.findUniqueOrThrow({ where: { id: ctx.tenantId }, select: { slug: true } });
    if (tenant.slug !== input.confirmSlug) {
      throw new TRPCError({ code: "BAD_REQUEST", message: `type the workspace's URL name, ${tenant.slug}, to confirm` });
    }
    await ctx.db.tenant.delete({ where: { id: ctx.tenantId } });
    return { deleted: tenant.slug };
  }),
});
