import { z } from "zod";
import { adminProcedure, createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { addTeamMembers } from "@/server/services/teams/add-team-members";
import { createTeam } from "@/server/services/teams/create-team";
import { deleteTeam } from "@/server/services/teams/delete-team";
import { listTeams } from "@/server/services/teams/list-teams";
import { removeTeamMember } from "@/server/services/teams/remove-team-member";
import { MAX_MEMBERS_PER_CALL } from "@/server/services/teams/team-view";
import { updateTeam } from "@/server/services/teams/update-team";

const name = z.string().trim().min(1, "a team needs a name").max(60, "at most 60 characters");
const description = z.string().trim().max(300, "at most 300 characters").nullable();
const userIds = z.array(z.uuid()).max(MAX_MEMBERS_PER_CALL, `at most ${MAX_MEMBERS_PER_CALL} people at a time`);

export const teamsRouter = createTRPCRouter({
  /** Everyone sees the teams (to move a conversation to one, and for the inbox's team views); keys need conversations:read. */
  list: scopedProcedure("conversations:read").query(({ ctx }) => listTeams(ctx.db, { userId: ctx.actor.userId })),

  create: adminProcedure
    .input(z.object({ name, description: description.optional(), userIds: userIds.optional() }))
    .mutation(({ ctx, input }) => createTeam(ctx.db, { tenantId: ctx.tenantId, ...input, actor: ctx.actor })),

  update: adminProcedure
    .input(z.object({ id: z.uuid(), name: name.optional(), description: description.optional() }))
    .mutation(({ ctx, input }) => updateTeam(ctx.db, { tenantId: ctx.tenantId, ...input, actor: ctx.actor })),

  /** Its conversations stay, in no team. */
  delete: adminProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => deleteTeam(ctx.db, { tenantId: ctx.tenantId, id: input.id, actor: ctx.actor })),

  addMembers: adminProcedure
    .input(z.object({ id: z.uuid(), userIds: userIds.min(1, "pick at least one person") }))
    .mutation(({ ctx, input }) => addTeamMembers(ctx.db, { tenantId: ctx.tenantId, ...input, actor: ctx.actor })),

  removeMember: adminProcedure
    .input(z.object({ id: z.uuid(), userId: z.uuid() }))
    .mutation(({ ctx, input }) => removeTeamMember(ctx.db, { tenantId: ctx.tenantId, ...input, actor: ctx.actor })),
});
