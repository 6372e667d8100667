import { z } from "zod";
import { addParticipant } from "@/server/services/conversations/add-participant";
import { assignmentHistory } from "@/server/services/conversations/assignment-history";
import { listParticipants } from "@/server/services/conversations/list-participants";
import { removeParticipant } from "@/server/services/conversations/remove-participant";
import { saneCoercedDateSchema } from "@/lib/validation";
import { createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { conversationPriorities } from "@/lib/conversations/priority";
import {
  conversationStatuses,
  getConversation,
  inboxSorts,
  inboxViews,
  listConversations,
  markConversationRead,
  updateConversation,
} from "@/server/services/conversations/conversations";

const label = z.string().trim().min(1, "a label cannot be empty").max(40, "at most 40 characters").regex(/^[^,]+$/, "no commas in a label");

export const conversationsRouter = createTRPCRouter({
  /** The inbox list: a view, a status tab, filters and search; pages of `limit`, newest activity first. */
  list: scopedProcedure("conversations:read", "contacts:read")
    .input(
      z.object({
        view: z.enum(inboxViews).default("all"),
        status: z.enum(conversationStatuses).default("open"),
        channelId: z.uuid().optional(),
        channelKind: z.string().max(40).optional(),
        label: label.optional(),
        teamId: z.uuid().optional(),
        sort: z.enum(inboxSorts).default("recent"),
        search: z.string().trim().max(200, "at most 200 characters").optional(),
        cursor: z.string().max(500).optional(),
        limit: z.number().int().min(1).max(100).default(50),
      }),
    )
    .query(({ ctx, input }) => listConversations(ctx.db, { ...input, search: input.search || undefined, userId: ctx.actor.userId })),

  get: scopedProcedure("conversations:read", "contacts:read")
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getConversation(ctx.db, input)),

  /** Who had the conversation and why, oldest first (the thread's assignment lines). */
  assignments: scopedProcedure("conversations:read")
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => assignmentHistory(ctx.db, input)),

  /** Assign (`assigneeId`, null to unassign), change status (`snoozedUntil` with `snoozed`), set labels, move to a team (`teamId`), set `priority` (null: none). */
  // Both answer with the conversation's summary, contact included: they need what reading it needs.
  update: scopedProcedure("conversations:write", "conversations:read", "contacts:read")
    .input(
      z.object({
        id: z.uuid(),
        assigneeId: z.uuid().nullable().optional(),
        status: z.enum(conversationStatuses).optional(),
        snoozedUntil: saneCoercedDateSchema.optional(),
        labels: z.array(label).max(20, "at most 20 labels").optional(),
        teamId: z.uuid().nullable().optional(),
        priority: z.enum(conversationPriorities).nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => updateConversation(ctx.db, { ...input, tenantId: ctx.tenantId, actorUserId: ctx.actor.userId })),

  markRead: scopedProcedure("conversations:write", "conversations:read", "contacts:read")
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => markConversationRead(ctx.db, { id: input.id, tenantId: ctx.tenantId })),

  /** Who takes part besides the assignee (they get the conversation's notifications): joined by replying, being mentioned or assigned, or added. */
  participants: scopedProcedure("conversations:read")
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => listParticipants(ctx.db, { conversationId: input.id })),

  addParticipant: scopedProcedure("conversations:write", "conversations:read")
    .input(z.object({ id: z.uuid(), userId: z.uuid() }))
    .mutation(({ ctx, input }) => addParticipant(ctx.db, { tenantId: ctx.tenantId, conversationId: input.id, userId: input.userId, addedById: ctx.actor.userId })),

  removeParticipant: scopedProcedure("conversations:write", "conversations:read")
    .input(z.object({ id: z.uuid(), userId: z.uuid() }))
    .mutation(({ ctx, input }) => removeParticipant(ctx.db, { conversationId: input.id, userId: input.userId })),
});
