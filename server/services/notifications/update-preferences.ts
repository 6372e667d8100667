import type { DbClient } from "@/server/db/client";
import { resolvePreferences, type NotificationPreferences, type PreferencesPatch } from "@/lib/notifications/preferences";

/** Changes some of a person's choices (what the patch leaves out stays); returns them all. */
export async function updatePreferences(db: DbClient, input: { tenantId: string; userId: string; patch: PreferencesPatch }): Promise<NotificationPreferences> {
  const stored = await db.notificationPreference.findFirst({ where: { userId: input.userId }, select: { settings: true } });
  const settings = resolvePreferences(stored?.settings, input.patch);
  await db.notificationPreference.upsert({
    where: { tenantId_userId: { tenantId: input.tenantId, userId: input.userId } },
    create: { tenantId: input.tenantId, userId: input.userId, settings },
    update: { settings },
  });
  return settings;
}
