import type { DbClient } from "@/server/db/client";
import { channelView } from "./channel-view";

/** The workspace's channels, oldest first, each as `channelView` shows it. */
export async function listChannels(db: DbClient) {
  const channels = await db.channel.findMany({ orderBy: { createdAt: "asc" } });
  const waiting = await db.quarantinedUpdate.groupBy({ by: ["channelId"], where: { status: "pending" }, _count: { _all: true } });
  const quarantinedOf = new Map(waiting.map((row) => [row.channelId, row._count._all]));
  return Promise.all(channels.map((channel) => channelView(db, channel, quarantinedOf.get(channel.id) ?? 0)));
}
