import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import type { EventPayloads } from "@/lib/events/payloads";
import { recordEvent } from "@/server/services/events/record-event";
import { lockAssignment } from "./assignment-lock";
import { returnToQueue } from "./return-to-queue";

import type { Availability } from "@/lib/assignment/availability";

type Change = EventPayloads["availability.changed"];

/**
 * A member's availability in the workspace, as an `availability.changed` event everyone's inbox
 * shows. Going offline gives back at once what a policy returning at once (after 0 minutes) had
 * given them; later returns are the sweep's. Coming online or getting room wakes the assignment
 * router after the commit (through the event's announcement), which gives them waiting work.
 */
export async function setAvailability(db: DbClient, input: { tenantId: string; userId: string; status: Availability; reason: Change["reason"]; now?: Date }) {
  const now = input.now ?? new Date();
  await lockAssignment(db, input.tenantId);
  const before = await db.membership.findFirst({ where: { userId: input.userId }, select: { availability: true } });
  if (!before) throw new AppError("NOT_FOUND", "you are not a member of this workspace");
  if (before.availability === input.status) return { status: input.status, changed: false, returned: 0 };
  // Choosing to be at work counts as a sign of life: the offline grace starts from it, socket or not.
  await db.membership.updateMany({
    where: { userId: input.userId },
    data: { availability: input.status, availabilityChangedAt: now, ...(input.reason !== "disconnected" ? { lastSeenAt: now } : {}) },
  });
  await recordEvent(db, {
    tenantId: input.tenantId,
    type: "availability.changed",
    payload: { userId: input.userId, status: input.status, previousStatus: before.availability, reason: input.reason },
  });
  const returned = input.status === "offline" ? await returnToQueue(db, { tenantId: input.tenantId, userId: input.userId, offlineForMinutes: 0, offlineSince: now, now }) : 0;
  return { status: input.status, changed: true, returned };
}
