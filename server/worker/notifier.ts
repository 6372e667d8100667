import type { AppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { announceEvents } from "@/server/realtime/announce";
import { notifyFromEvents } from "@/server/services/notifications/notify-from-events";
import { byTenant, startDurableFollower, type FollowerOptions } from "./durable-follower";

export { logReader } from "./durable-follower";

/** The events the notifier makes something of; the rest only move its place on. */
const followed = new Set(["message.created", "assignee.changed", "conversation.created", "team.changed"]);

/**
 * The notifier: a durable follower of the event log (durable-follower.ts) that turns what happened
 * into people's notifications (server/services/notifications/notify-from-events.ts). Replaying makes
 * nothing twice: each notification is unique per person and event.
 */
export function startNotifier(options: FollowerOptions & { appDb: AppDb; mail: boolean }) {
  const { appDb } = options;
  const requestId = `notifier:${process.pid}`;
  return startDurableFollower("notifier", options, async (events) => {
    let created = 0;
    for (const [tenantId, tenantEvents] of byTenant(events, followed)) {
      const result = await withTenant(appDb, tenantId, (db) => notifyFromEvents(db, { tenantId, events: tenantEvents, mail: options.mail }), { requestId });
      created += result.created;
    }
    if (created > 0) announceEvents(appDb);
  });
}
