import { emailSchema } from "@/lib/validation";
import type { SystemDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { consumeOrThrow, type RateLimiters } from "@/server/security/rate-limit";
import { verifyPassword, hashPassword } from "@/server/security/password";
import { recordAudit } from "@/server/services/audit/record-audit";

export type SignInAttempt = { email: unknown; password: unknown; ip: string; requestId?: string };
export type SignedInUser = { id: string; email: string; name: string };
type SignInLimiters = Pick<RateLimiters, "signInByAccountAndIp" | "signInByAccount" | "signInByIp">;

// Verifying against a real hash when the address is unknown keeps both answers equally slow.
const dummyHash = hashPassword("not-a-real-password-but-a-timing-guard");

/** Failures an account takes from all addresses (in the last hour) before its sign-ins slow down. */
export const SLOWDOWN_AFTER_FAILURES = 10;
const MAX_SLOWDOWN_MS = 8_000;

/**
 * How long every sign-in to an account waits, given its recent failures from
 * all addresses: nothing at first, then half a second doubling per failure up
 * to 8 s. Its owner, trying from an address that has not failed, still gets in.
 */
export function signInSlowdownMs(failures: number): number {
  if (failures < SLOWDOWN_AFTER_FAILURES) return 0;
  return Math.min(MAX_SLOWDOWN_MS, 500 * 2 ** (failures - SLOWDOWN_AFTER_FAILURES));
}

/**
 * Checks an email and password. Failed attempts count against the client's
 * address (many accounts), the pair of account and address (one account) —
 * past either, sign-in from there is refused until the window passes, even with
 * the right password — and the account across addresses, which only slows its
 * sign-ins down. A success clears the pair's count and the account's.
 */
export async function signIn(db: SystemDb, limiters: SignInLimiters, attempt: SignInAttempt, wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))): Promise<SignedInUser> {
  const email = emailSchema.safeParse(attempt.email);
  const password = typeof attempt.password === "string" ? attempt.password : "";
  const accountKey = email.success ? email.data : "invalid";
  const pairKey = `${accountKey}|${attempt.ip}`;
  const tooMany = "too many failed sign-in attempts";
  // Every attempt takes its points before the password is checked, so attempts sent all at once count
  // (and slow down) one after another; a success gives them back.
  await consumeOrThrow(limiters.signInByIp, attempt.ip, tooMany);
  await consumeOrThrow(limiters.signInByAccountAndIp, pairKey, tooMany);
  const counted = await limiters.signInByAccount.consume(accountKey);
  const slowdown = signInSlowdownMs(counted.consumedPoints - 1);
  if (slowdown > 0) await wait(slowdown);

  const user = email.success ? await db.user.findUnique({ where: { email: email.data } }) : null;
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await dummyHash, password), false);
  if (!user || !valid) {
    await Promise.all([
      recordAudit(db, {
        tenantId: null,
        action: "auth.sign_in_failed",
        actor: { userId: user?.id, requestId: attempt.requestId, ip: attempt.ip },
        targetType: "user",
        targetId: user?.id,
        metadata: { email: email.success ? email.data : String(attempt.email).slice(0, 100), ...(slowdown ? { slowedMs: slowdown } : {}) },
      }),
    ]);
    throw new AppError("UNAUTHORIZED", "wrong email or password");
  }
  await Promise.all([limiters.signInByIp.reward(attempt.ip, 1), limiters.signInByAccountAndIp.delete(pairKey), limiters.signInByAccount.delete(accountKey)]);
  return { id: user.id, email: user.email, name: user.name };
}
