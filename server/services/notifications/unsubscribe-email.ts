import type { DbClient } from "@/server/db/client";
import type { NotificationType } from "@/lib/notifications/preferences";
import { updatePreferences } from "./update-preferences";

/** An email's "stop emails about this" link: that type's email off for that person, the rest of their choices kept. */
export async function unsubscribeEmail(db: DbClient, input: { tenantId: string; userId: string; type: NotificationType }) {
  const member = await db.membership.findFirst({ where: { userId: input.userId }, select: { user: { select: { email: true } } } });
  if (!member) return null;
  await updatePreferences(db, { tenantId: input.tenantId, userId: input.userId, patch: { types: { [input.type]: { email: false } } } });
  return { email: member.user.email };
}
