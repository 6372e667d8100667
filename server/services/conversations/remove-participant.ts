import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { listParticipants } from "./list-participants";

/** Takes a member off a conversation's participants (they stop getting its notifications, unless assigned or mentioned again). */
export async function removeParticipant(db: DbClient, input: { conversationId: string; userId: string }) {
  const conversation = await db.conversation.findUnique({ where: { id: input.conversationId }, select: { id: true } });
  if (!conversation) throw new AppError("NOT_FOUND", "no such conversation");
  await db.conversationParticipant.deleteMany({ where: { conversationId: conversation.id, userId: input.userId } });
  return listParticipants(db, { conversationId: conversation.id });
}
