import { z } from "zod";
import { adminProcedure, createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { getPolicy } from "@/server/services/assignment/get-policy";
import { listPolicies } from "@/server/services/assignment/list-policies";
import { assignmentModes } from "@/lib/assignment/availability";
import { queueStatus } from "@/server/services/assignment/queue-status";
import { setCapacity } from "@/server/services/assignment/set-capacity";
import { updatePolicy } from "@/server/services/assignment/update-policy";

/** A policy is for one channel or one team: exactly one of the two ids. */
const subject = z.union([z.object({ channelId: z.uuid() }).strict(), z.object({ teamId: z.uuid() }).strict()], {
  error: "name a channel (channelId) or a team (teamId), not both",
});

const policyFields = z.object({
  mode: z.enum(assignmentModes, { error: "off, round_robin or balanced" }),
  /** Minutes offline before a policy takes an agent's conversations back; 0: at once; null: never. */
  returnAfterMinutes: z.number().int("a whole number of minutes").min(0, "at least 0 (at once)").max(1440, "at most 1440 minutes (a day)").nullable(),
});

const policyInput = z.union([
  policyFields.extend({ channelId: z.uuid() }).strict(),
  policyFields.extend({ teamId: z.uuid() }).strict(),
], { error: "name a channel (channelId) or a team (teamId), not both, with mode and returnAfterMinutes" });

export const assignmentRouter = createTRPCRouter({
  /** Every channel's and team's policy, for the settings page. */
  listPolicies: adminProcedure.query(({ ctx }) => listPolicies(ctx.db)),

  getPolicy: adminProcedure.input(subject).query(({ ctx, input }) => getPolicy(ctx.db, input)),

  updatePolicy: adminProcedure.input(policyInput).mutation(({ ctx, input }) => updatePolicy(ctx.db, { ...input, tenantId: ctx.tenantId, actor: ctx.actor })),

  /** A member's own capacity; null: the workspace's default (settings: assignment.defaultCapacity). */
  setCapacity: adminProcedure
    .input(z.object({ userId: z.uuid(), capacity: z.number().int("a whole number").min(1, "at least 1").max(1000, "at most 1000").nullable() }))
    .mutation(({ ctx, input }) => setCapacity(ctx.db, { ...input, tenantId: ctx.tenantId, actor: ctx.actor })),

  /** How many conversations wait for an agent, and since when the longest has; everyone sees it. */
  queue: scopedProcedure("conversations:read").query(({ ctx }) => queueStatus(ctx.db, { tenantId: ctx.tenantId, userId: ctx.actor.userId })),
});
