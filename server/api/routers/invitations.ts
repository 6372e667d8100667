import { z } from "zod";
import { passwordSchema, personNameSchema } from "@/lib/validation";
import { createTRPCRouter, publicProcedure } from "@/server/api/trpc";
import { acceptInvitation, findInvitation } from "@/server/services/invitations/accept-invitation";

// The link's token is the credential: 43 url-safe characters.
const token = z.string().regex(/^[\w-]{43}$/, "this invitation link is not valid");

export const invitationsRouter = createTRPCRouter({
  get: publicProcedure.meta({ access: "public" }).input(z.object({ token })).query(({ ctx, input }) => findInvitation(ctx.systemDb, input.token)),

  accept: publicProcedure
    .meta({ access: "public" })
    .input(z.object({ token, name: personNameSchema.optional(), password: passwordSchema.optional() }))
    .mutation(({ ctx, input }) =>
      acceptInvitation(ctx.systemDb, { ...input, requestId: ctx.requestId, ip: ctx.ip }),
    ),
});
