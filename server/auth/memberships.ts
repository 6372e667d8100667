import type { SystemDb } from "@/server/db/client";

/**
 * A signed-in user's own memberships across tenants, for the tenant switcher and
 * to resolve /t/<slug>. Crosses tenants by nature, so it uses the system client,
 * and only ever for the user's own id.
 */
export async function membershipsOf(db: SystemDb, userId: string) {
  return db.membership.findMany({
    where: { userId },
    orderBy: { tenant: { name: "asc" } },
    select: { id: true, role: true, availability: true, tenant: { select: { id: true, slug: true, name: true } } },
  });
}

export async function membershipIn(db: SystemDb, userId: string, slug: string) {
  return db.membership.findFirst({
    where: { userId, tenant: { slug } },
    select: { id: true, role: true, availability: true, tenant: { select: { id: true, slug: true, name: true } } },
  });
}
