import { z } from "zod";
import { passwordSchema } from "@/lib/validation";
import { createTRPCRouter, userProcedure as accountProcedure } from "@/server/api/trpc";
import { changePassword } from "@/server/services/account/change-password";
import { listSessions } from "@/server/services/sessions/list-sessions";
import { revokeOtherSessions } from "@/server/services/sessions/revoke-other-sessions";
import { revokeSession } from "@/server/services/sessions/revoke-session";

export const accountRouter = createTRPCRouter({
  /** The caller's live sessions: device, address, when it started and was last seen, and which is this one. */
  sessions: accountProcedure.query(({ ctx }) => listSessions(ctx.systemDb, { userId: ctx.user.userId, currentSessionId: ctx.user.sessionId })),

  /** Ends one of the caller's sessions; another user's is NOT_FOUND. */
  revokeSession: accountProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => revokeSession(ctx.systemDb, { userId: ctx.user.userId, sessionId: input.id, actor: ctx.actor })),

  /** Signs out of every other device: all the caller's sessions but this one end. */
  revokeOtherSessions: accountProcedure.mutation(({ ctx }) =>
    revokeOtherSessions(ctx.systemDb, { userId: ctx.user.userId, currentSessionId: ctx.user.sessionId, actor: ctx.actor }),
  ),

  /** A new password, given the current one; every other session ends. */
  changePassword: accountProcedure
    .input(z.object({ currentPassword: z.string().min(1, "enter your current password").max(200), newPassword: passwordSchema }))
    .mutation(({ ctx, input }) =>
      changePassword(ctx.systemDb, ctx.limiters.passwordChange, { userId: ctx.user.userId, sessionId: ctx.user.sessionId, ...input, actor: ctx.actor }),
    ),
});
