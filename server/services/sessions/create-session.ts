import type { SystemDb } from "@/server/db/client";

/** The longest user agent and address kept: enough to tell devices apart, not a place to store a payload. */
const USER_AGENT_MAX = 512;
const IP_MAX = 64;

/**
 * A new session at sign-in, for the JWT to name (`sid`). It ends `maxAgeSeconds`
 * after sign-in, as the cookie does, unless it is ended sooner.
 */
export async function createSession(
  db: SystemDb,
  input: { userId: string; userAgent: string | null; ip: string; maxAgeSeconds: number },
): Promise<{ id: string; expiresAt: Date }> {
  const now = new Date();
  return db.session.create({
    data: {
      userId: input.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + input.maxAgeSeconds * 1000),
      userAgent: input.userAgent ? input.userAgent.slice(0, USER_AGENT_MAX) : null,
      ip: input.ip.slice(0, IP_MAX),
    },
    select: { id: true, expiresAt: true },
  });
}
