import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";

/** Who takes part in a conversation (they get its notifications), earliest first, with why. */
export async function listParticipants(db: DbClient, input: { conversationId: string }) {
  const conversation = await db.conversation.findUnique({ where: { id: input.conversationId }, select: { id: true } });
  if (!conversation) throw new AppError("NOT_FOUND", "no such conversation");
  const rows = await db.conversationParticipant.findMany({
    where: { conversationId: conversation.id },
    orderBy: { createdAt: "asc" },
    select: { userId: true, reason: true, addedById: true, createdAt: true, user: { select: { name: true, email: true } } },
  });
  return rows.map((row) => ({ userId: row.userId, name: row.user.name, email: row.user.email, reason: row.reason, addedById: row.addedById, since: row.createdAt }));
}
