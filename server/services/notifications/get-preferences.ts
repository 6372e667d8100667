import type { DbClient } from "@/server/db/client";
import { resolvePreferences, type NotificationPreferences } from "@/lib/notifications/preferences";

/** A person's notification choices in the workspace, the defaults filled in. */
export async function getPreferences(db: DbClient, input: { userId: string }): Promise<NotificationPreferences> {
  const stored = await db.notificationPreference.findFirst({ where: { userId: input.userId }, select: { settings: true } });
  return resolvePreferences(stored?.settings);
}
