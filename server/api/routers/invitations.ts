import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { passwordSchema, personNameSchema } from "@/lib/validation";
import { createTRPCRouter, publicProcedure, type Context } from "@/server/api/trpc";
import { CROSS_SITE_REFUSAL, isSameOriginRequest } from "@/server/http/same-origin";
import { acceptInvitation, findInvitation } from "@/server/services/invitations/accept-invitation";

// The link's token is the credential: 43 url-safe characters.
const token = z.string().regex(/^[\w-]{43}$/, "this invitation link is not valid");

/** A signed-in caller (never an API key: invitations are for people). */
const callerOf = (ctx: Context) => (ctx.principal?.kind === "user" ? { userId: ctx.principal.userId } : null);

export const invitationsRouter = createTRPCRouter({
  get: publicProcedure
    .meta({ access: "public" })
    .input(z.object({ token }))
    .query(({ ctx, input }) => findInvitation(ctx.systemDb, { token: input.token, caller: callerOf(ctx) })),

  /** Signed in: joins as the signed-in account, which must be the invited address. Signed out: creates the account. */
  accept: publicProcedure
    .meta({ access: "public" })
    .input(z.object({ token, name: personNameSchema.optional(), password: passwordSchema.optional() }))
    .mutation(({ ctx, input }) => {
      const caller = callerOf(ctx);
      // Joining as a signed-in account is a change made with its cookie: another site must not be able to make it.
      if (caller && !isSameOriginRequest(ctx.headers)) {
        throw new TRPCError({ code: "FORBIDDEN", message: CROSS_SITE_REFUSAL });
      }
      return acceptInvitation(ctx.systemDb, { ...input, caller, requestId: ctx.requestId, ip: ctx.ip });
    }),
});
