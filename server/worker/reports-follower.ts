import type { AppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { LoggedEvent } from "@/server/realtime/events";
import type { LogEvent } from "@/server/services/reports/cycles";
import { applyReportEvents, reportEventTypes } from "@/server/services/reports/maintain";
import { byTenant, startDurableFollower, type FollowerOptions } from "./durable-follower";

const followed = new Set(reportEventTypes);

const asLogEvent = (event: LoggedEvent): LogEvent => ({ id: BigInt(event.eventId), type: event.type, conversationId: event.conversationId!, createdAt: new Date(event.at), payload: event.data });

/**
 * Keeps the reports' facts up to date (server/services/reports/maintain.ts): a durable follower
 * of the event log from its beginning, one transaction per workspace and batch. A replay (after a crash, or the same
 * batch on a second worker) adds nothing: each conversation's state remembers its last event.
 */
export function startReportsFollower(options: FollowerOptions & { appDb: AppDb }) {
  const requestId = `reports:${process.pid}`;
  // A workspace's history before this follower first ran counts too: the first run reads the whole log.
  return startDurableFollower("reports", { ...options, fromStart: true }, async (events) => {
    for (const [tenantId, tenantEvents] of byTenant(events, followed)) {
      const withConversation = tenantEvents.filter((event) => event.conversationId !== null).map(asLogEvent);
      await withTenant(options.appDb, tenantId, (db) => applyReportEvents(db, { tenantId, events: withConversation }), { requestId });
    }
  });
}
