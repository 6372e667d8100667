import { z } from "zod";
import { processPublicUrl } from "@/lib/env";
import { emailSchema, roleSchema } from "@/lib/validation";
import { adminProcedure, createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { inviteMember } from "@/server/services/invitations/invite-member";
import { revokeInvitation } from "@/server/services/invitations/revoke-invitation";
import { listMembers } from "@/server/services/members/list-members";
import { removeMember } from "@/server/services/members/remove-member";
import { updateMemberRole } from "@/server/services/members/update-member-role";

export const membersRouter = createTRPCRouter({
  /** Agents see their colleagues too (to assign conversations); keys need conversations:read. */
  list: scopedProcedure("conversations:read").query(({ ctx }) => listMembers(ctx.db)),

  invite: adminProcedure.input(z.object({ email: emailSchema, role: roleSchema })).mutation(({ ctx, input }) =>
    inviteMember(ctx.db, {
      tenantId: ctx.tenantId,
      email: input.email,
      role: input.role,
      actorRole: ctx.role,
      actor: ctx.actor,
      publicUrl: processPublicUrl(),
      mail: { SMTP_URL: process.env.SMTP_URL || undefined, MAIL_FROM: process.env.MAIL_FROM ?? "Support Chat <no-reply@localhost>" },
    }),
  ),

  revokeInvitation: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    await revokeInvitation(ctx.db, { tenantId: ctx.tenantId, id: input.id, actorRole: ctx.role, actor: ctx.actor });
    return { id: input.id };
  }),

  updateRole: adminProcedure
    .input(z.object({ membershipId: z.uuid(), role: roleSchema }))
    .mutation(async ({ ctx, input }) => {
      const updated = await updateMemberRole(ctx.db, {
        tenantId: ctx.tenantId,
        membershipId: input.membershipId,
        role: input.role,
        actorRole: ctx.role,
        actor: ctx.actor,
      });
      return { id: updated.id, role: updated.role };
    }),

  remove: adminProcedure.input(z.object({ membershipId: z.uuid() })).mutation(async ({ ctx, input }) => {
    await removeMember(ctx.db, { tenantId: ctx.tenantId, membershipId: input.membershipId, actorRole: ctx.role, actor: ctx.actor });
    return { id: input.membershipId };
  }),
});
