import { emailSchema } from "@/lib/validation";
import type { SystemDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { assertNotLimited, type RateLimiters } from "@/server/security/rate-limit";
import { verifyPassword, hashPassword } from "@/server/security/password";
import { recordAudit } from "@/server/services/audit/record-audit";

export type SignInAttempt = { email: unknown; password: unknown; ip: string; requestId?: string };
export type SignedInUser = { id: string; email: string; name: string };

// Verifying against a real hash when the address is unknown keeps both answers equally slow.
const dummyHash = hashPassword("not-a-real-password-but-a-timing-guard");

/**
 * Checks an email and password. Failed attempts count against the account and
 * the client's address; past either limit, sign-in is refused until the window
 * passes, even with the right password. A success clears the account's count.
 */
export async function signIn(db: SystemDb, limiters: Pick<RateLimiters, "signInByAccount" | "signInByIp">, attempt: SignInAttempt): Promise<SignedInUser> {
  const email = emailSchema.safeParse(attempt.email);
  const password = typeof attempt.password === "string" ? attempt.password : "";
  const accountKey = email.success ? email.data : "invalid";
  const tooMany = "too many failed sign-in attempts";
  await assertNotLimited(limiters.signInByIp, attempt.ip, tooMany);
  await assertNotLimited(limiters.signInByAccount, accountKey, tooMany);

  const user = email.success ? await db.user.findUnique({ where: { email: email.data } }) : null;
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await dummyHash, password), false);
  if (!user || !valid) {
    await Promise.all([
      limiters.signInByIp.penalty(attempt.ip, 1),
      limiters.signInByAccount.penalty(accountKey, 1),
      recordAudit(db, {
        tenantId: null,
        action: "auth.sign_in_failed",
        actor: { userId: user?.id, requestId: attempt.requestId, ip: attempt.ip },
        targetType: "user",
        targetId: user?.id,
        metadata: { email: email.success ? email.data : String(attempt.email).slice(0, 100) },
      }),
    ]);
    throw new AppError("UNAUTHORIZED", "wrong email or password");
  }
  await limiters.signInByAccount.delete(accountKey);
  return { id: user.id, email: user.email, name: user.name };
}
