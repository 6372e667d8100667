import type { SystemDb } from "@/server/db/client";

/** lastSeenAt is a hint for the account page, not an audit trail: written at most once a minute per session. */
export const LAST_SEEN_PRECISION_MS = 60_000;

/**
 * Whether a session cookie's session is live: it exists, belongs to that user,
 * and has been neither ended nor outlived. One lookup by primary key per request.
 */
export async function authenticateSession(db: SystemDb, input: { userId: string; sessionId: string }): Promise<boolean> {
  const now = new Date();
  const session = await db.session.findUnique({
    where: { id: input.sessionId },
    select: { userId: true, expiresAt: true, revokedAt: true, lastSeenAt: true },
  });
  if (!session || session.userId !== input.userId || session.revokedAt || session.expiresAt <= now) return false;
  const stale = new Date(now.getTime() - LAST_SEEN_PRECISION_MS);
  if (session.lastSeenAt <= stale) {
    // Conditional, so requests arriving together on several processes write it once.
    await db.session.updateMany({ where: { id: input.sessionId, lastSeenAt: { lte: stale } }, data: { lastSeenAt: now } });
  }
  return true;
}
