import type { SystemDb } from "@/server/db/client";
import { describeDevice, type Device } from "./describe-device";

export type SessionSummary = {
  id: string;
  device: Device;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  /** The session this request came with. */
  current: boolean;
};

/** A user's live sessions for the account page: this device first, then the most recently seen. */
export async function listSessions(db: SystemDb, input: { userId: string; currentSessionId: string }): Promise<SessionSummary[]> {
  const sessions = await db.session.findMany({
    where: { userId: input.userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ lastSeenAt: "desc" }, { createdAt: "desc" }],
    select: { id: true, userAgent: true, ip: true, createdAt: true, lastSeenAt: true },
  });
  return sessions
    .map(({ userAgent, ...session }) => ({ ...session, device: describeDevice(userAgent), current: session.id === input.currentSessionId }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}
