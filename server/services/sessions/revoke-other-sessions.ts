import type { SystemDb } from "@/server/db/client";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { endSessions } from "./end-sessions";

/** "Sign out of all other devices": every live session of the user but the one making the request. */
export async function revokeOtherSessions(db: SystemDb, input: { userId: string; currentSessionId: string; actor: Actor }): Promise<{ count: number }> {
  return db.$transaction(async (tx) => {
    const ended = await endSessions(tx, { userId: input.userId, exceptSessionId: input.currentSessionId, reason: "signed_out_everywhere" });
    if (ended.length > 0) {
      await recordAudit(tx, {
        tenantId: null,
        action: "auth.sessions_revoked",
        actor: input.actor,
        targetType: "user",
        targetId: input.userId,
        metadata: { reason: "signed_out_everywhere", count: ended.length },
      });
    }
    return { count: ended.length };
  });
}
