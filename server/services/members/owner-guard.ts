import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";

/**
 * Refuses to leave a tenant without an owner. Locks the owners' rows, so two
 * owners demoting each other at the same moment cannot both succeed.
 */
export async function assertAnotherOwnerRemains(db: DbClient, tenantId: string, membershipId: string, what: string) {
  const owners = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Membership" WHERE "tenantId" = ${tenantId}::uuid AND role = 'owner' FOR UPDATE`;
  if (owners.every((owner) => owner.id === membershipId)) {
    throw new AppError("CONFLICT", `the last owner cannot be ${what}; make another member owner first`);
  }
}
