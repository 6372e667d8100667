import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";

export async function findTenantBySlug(db: DbClient, slug: string) {
  const tenant = await db.tenant.findUnique({ where: { slug } });
  if (!tenant) throw new AppError("NOT_FOUND", `no tenant with the slug "${slug}"`);
  return tenant;
}
