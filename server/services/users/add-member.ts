import type { DbClient } from "@/server/db/client";
import type { Role } from "@/server/db/generated/enums";
import { AppError, isUniqueViolation } from "@/server/errors";
import { hashPassword } from "@/server/security/password";

/**
 * Makes `email` a member of the tenant with `role`, creating the user when the
 * address is new (an existing user keeps their password and name). Run it in a
 * transaction: it writes two rows.
 */
export async function addMember(
  db: DbClient,
  input: { tenantId: string; email: string; name: string; role: Role; password?: string },
) {
  const existing = await db.user.findUnique({ where: { email: input.email } });
  if (!existing && !input.password) throw new AppError("BAD_REQUEST", "a new user needs a password");
  try {
    const user =
      existing ??
      (await db.user.create({ data: { email: input.email, name: input.name, passwordHash: await hashPassword(input.password!) } }));
    const membership = await db.membership.create({ data: { tenantId: input.tenantId, userId: user.id, role: input.role } });
    return { user, membership, createdUser: !existing };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `${input.email} is already a member of this tenant`);
    throw error;
  }
}
