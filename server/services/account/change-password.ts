import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { SystemDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { verifyPassword, hashPassword } from "@/server/security/password";
import { consumeOrThrow } from "@/server/security/rate-limit";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { endSessions } from "@/server/services/sessions/end-sessions";

const wrongCurrent = "is not your current password";

/**
 * A signed-in user's new password, given the current one. Every other session of
 * the user ends (whoever else had one must sign in with the new password); the
 * one making the change stays. Wrong current passwords are limited per user
 * (`limiter`: the passwordChange limit of server/security/rate-limit.ts).
 */
export async function changePassword(
  db: SystemDb,
  limiter: RateLimiterAbstract,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string; actor: Actor },
): Promise<{ sessionsEnded: number }> {
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { passwordHash: true } });
  if (!user) throw new AppError("UNAUTHORIZED", "this account no longer exists");
  // The point is taken before the check, so guesses sent all at once count one after another; knowing the password gives it back.
  await consumeOrThrow(limiter, input.userId, "too many wrong passwords");
  const valid = user.passwordHash ? await verifyPassword(user.passwordHash, input.currentPassword) : false;
  if (!valid) {
    throw new AppError("BAD_REQUEST", `currentPassword: ${wrongCurrent}`, { fieldErrors: { currentPassword: [wrongCurrent] } });
  }
  if (input.newPassword === input.currentPassword) {
    await limiter.reward(input.userId, 1);
    const same = "must differ from your current password";
    throw new AppError("BAD_REQUEST", `newPassword: ${same}`, { fieldErrors: { newPassword: [same] } });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const ended = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: input.userId }, data: { passwordHash } });
    const ended = await endSessions(tx, { userId: input.userId, exceptSessionId: input.sessionId, reason: "password_changed" });
    await recordAudit(tx, {
      tenantId: null,
      action: "auth.password_changed",
      actor: input.actor,
      targetType: "user",
      targetId: input.userId,
      metadata: { sessionsEnded: ended.length },
    });
    return ended;
  });
  // Whoever knows the password starts over, as after a successful sign-in.
  await limiter.delete(input.userId);
  return { sessionsEnded: ended.length };
}
