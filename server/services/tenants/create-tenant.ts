import type { DbClient } from "@/server/db/client";
import { AppError, isUniqueViolation } from "@/server/errors";

export async function createTenant(db: DbClient, input: { name: string; slug: string }) {
  try {
    return await db.tenant.create({
      data: { name: input.name, slug: input.slug, settings: { create: {} } },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `a tenant with the slug "${input.slug}" already exists`);
    throw error;
  }
}
