import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { listParticipants } from "./list-participants";

/** Adds a member to a conversation's participants (they get its notifications); adding one twice keeps the first reason. */
export async function addParticipant(db: DbClient, input: { tenantId: string; conversationId: string; userId: string; addedById?: string | null }) {
  const [conversation, member] = await Promise.all([
    db.conversation.findUnique({ where: { id: input.conversationId }, select: { id: true } }),
    db.membership.findFirst({ where: { userId: input.userId }, select: { userId: true } }),
  ]);
  if (!conversation) throw new AppError("NOT_FOUND", "no such conversation");
  if (!member) throw new AppError("BAD_REQUEST", "this person is not a member of the workspace", { fieldErrors: { userId: ["not a member of this workspace"] } });
  await db.conversationParticipant.createMany({
    data: [{ tenantId: input.tenantId, conversationId: conversation.id, userId: member.userId, reason: "added", addedById: input.addedById ?? null }],
    skipDuplicates: true,
  });
  return listParticipants(db, { conversationId: conversation.id });
}
