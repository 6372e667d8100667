import type { AppDb, SystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { announceEvents } from "@/server/realtime/announce";
import { getSettings } from "@/server/services/settings/settings";
import { setAvailability } from "./set-availability";

/**
 * Signing in makes a person online in each workspace of theirs that says so
 * (settings: assignment.onlineOnSignIn); elsewhere they stay as they were. Answers the
 * workspaces where they became online.
 */
export async function onlineOnSignIn(deps: { appDb: AppDb; systemDb: SystemDb }, userId: string): Promise<string[]> {
  const memberships = await deps.systemDb.membership.findMany({ where: { userId, availability: "offline" }, select: { tenantId: true } });
  const online: string[] = [];
  for (const { tenantId } of memberships) {
    const changed = await withTenant(deps.appDb, tenantId, async (db) => {
      const { values } = await getSettings(db, { tenantId });
      if (!values.assignment.onlineOnSignIn) return false;
      return (await setAvailability(db, { tenantId, userId, status: "online", reason: "signed_in" })).changed;
    });
    if (changed) online.push(tenantId);
  }
  if (online.length > 0) announceEvents(deps.appDb);
  return online;
}
