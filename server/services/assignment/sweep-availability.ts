import type { DbClient } from "@/server/db/client";
import { getSettings } from "@/server/services/settings/settings";
import { lockAssignment } from "./assignment-lock";
import { returnToQueue } from "./return-to-queue";
import { setAvailability } from "./set-availability";

const MINUTE_MS = 60_000;

/**
 * The clock's side of availability, for one workspace: members whose last inbox closed (or who
 * showed no sign of life) longer ago than the workspace's grace become offline, and members
 * offline longer than a policy's return time get back to the queue what that policy gave them.
 */
export async function sweepAvailability(db: DbClient, input: { tenantId: string; now?: Date }): Promise<{ wentOffline: number; returned: number }> {
  const now = input.now ?? new Date();
  await lockAssignment(db, input.tenantId);
  const { values } = await getSettings(db, { tenantId: input.tenantId });
  const cutoff = new Date(now.getTime() - values.assignment.offlineAfterMinutes * MINUTE_MS);
  const gone = await db.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "Membership"
    WHERE "tenantId" = ${input.tenantId}::uuid AND availability <> 'offline' AND COALESCE("lastSeenAt", "availabilityChangedAt") < ${cutoff}`;
  let returned = 0;
  for (const { userId } of gone) returned += (await setAvailability(db, { tenantId: input.tenantId, userId, status: "offline", reason: "disconnected", now })).returned;
  const away = await db.$queryRaw<{ userId: string; availabilityChangedAt: Date }[]>`
    SELECT m."userId", m."availabilityChangedAt" FROM "Membership" m
    WHERE m."tenantId" = ${input.tenantId}::uuid AND m.availability = 'offline'
      AND EXISTS (SELECT 1 FROM "Conversation" c WHERE c."tenantId" = m."tenantId" AND c."assigneeId" = m."userId" AND c.status = 'open' AND c."autoAssigned")`;
  for (const member of away) {
    const offlineForMinutes = Math.floor((now.getTime() - member.availabilityChangedAt.getTime()) / MINUTE_MS);
    returned += await returnToQueue(db, { tenantId: input.tenantId, userId: member.userId, offlineForMinutes, offlineSince: member.availabilityChangedAt, now });
  }
  return { wentOffline: gone.length, returned };
}
