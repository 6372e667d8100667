import type { SystemDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { endSessions } from "./end-sessions";

/**
 * Ends one of the user's own sessions (the account page's "Revoke"). Another
 * user's session, or one that does not exist, is NOT_FOUND alike; one that has
 * already ended is left as it is.
 */
export async function revokeSession(db: SystemDb, input: { userId: string; sessionId: string; actor: Actor }): Promise<{ revoked: boolean }> {
  const session = await db.session.findUnique({ where: { id: input.sessionId }, select: { userId: true } });
  if (!session || session.userId !== input.userId) throw new AppError("NOT_FOUND", "no such session");
  return db.$transaction(async (tx) => {
    const ended = await endSessions(tx, { userId: input.userId, sessionId: input.sessionId, reason: "revoked" });
    if (ended.length > 0) {
      await recordAudit(tx, {
        tenantId: null,
        action: "auth.sessions_revoked",
        actor: input.actor,
        targetType: "session",
        targetId: input.sessionId,
        metadata: { reason: "revoked", count: 1 },
      });
    }
    return { revoked: ended.length > 0 };
  });
}
