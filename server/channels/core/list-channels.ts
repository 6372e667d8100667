import type { DbClient } from "@/server/db/client";
import { adapterFor, type ChannelDetails } from "../registry";

/**
 * The workspace's channels with their status and each kind's own settings and
 * health (`details`, from its adapter; never a secret), and how many of a
 * channel's inbound items wait in quarantine (not stored).
 */
export async function listChannels(db: DbClient) {
  const channels = await db.channel.findMany({ orderBy: { createdAt: "asc" } });
  const waiting = await db.quarantinedUpdate.groupBy({ by: ["channelId"], where: { status: "pending" }, _count: { _all: true } });
  const quarantinedOf = new Map(waiting.map((row) => [row.channelId, row._count._all]));
  return Promise.all(
    channels.map(async (channel) => ({
      id: channel.id,
      kind: channel.type,
      name: channel.name,
      status: channel.status,
      lastError: channel.lastError,
      lastErrorAt: channel.lastErrorAt,
      createdAt: channel.createdAt,
      disconnectedAt: channel.disconnectedAt,
      quarantined: quarantinedOf.get(channel.id) ?? 0,
      capabilities: adapterFor(channel.type).capabilities,
      details: (await adapterFor(channel.type).describe(db, channel)) as ChannelDetails,
    })),
  );
}
