import type { DbClient } from "@/server/db/client";
import type { SessionEndReason } from "@/server/db/generated/enums";

/**
 * Ends a user's live sessions — one (`sessionId`), or all but one (`exceptSessionId`) —
 * and says which it ended. The next request of each is refused, and the realtime
 * servers disconnect their sockets within their revalidation interval.
 */
export async function endSessions(
  db: DbClient,
  input: { userId: string; reason: SessionEndReason } & ({ sessionId: string } | { exceptSessionId: string }),
): Promise<string[]> {
  const now = new Date();
  const which = "sessionId" in input ? { id: input.sessionId } : { id: { not: input.exceptSessionId } };
  const ended = await db.session.updateManyAndReturn({
    where: { userId: input.userId, revokedAt: null, expiresAt: { gt: now }, ...which },
    data: { revokedAt: now, revokedReason: input.reason },
    select: { id: true },
  });
  return ended.map((session) => session.id);
}
