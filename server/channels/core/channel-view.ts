import type { DbClient } from "@/server/db/client";
import type { StoredChannel } from "../contract";
import { adapterFor, type ChannelDetails } from "../registry";

type ChannelRow = StoredChannel & { lastError: string | null; lastErrorAt: Date | null; createdAt: Date; disconnectedAt: Date | null };

/**
 * A channel as `channels.list` and `channels.get` show it: status, the kind's
 * capabilities and its own settings and health (`details`, from its adapter;
 * never a secret — a widget's embed snippet is there, its identity secret is
 * not), and how many of its inbound items wait in quarantine.
 */
export async function channelView(db: DbClient, channel: ChannelRow, quarantined: number) {
  const adapter = adapterFor(channel.type);
  return {
    id: channel.id,
    kind: channel.type,
    name: channel.name,
    status: channel.status,
    lastError: channel.lastError,
    lastErrorAt: channel.lastErrorAt,
    createdAt: channel.createdAt,
    disconnectedAt: channel.disconnectedAt,
    quarantined,
    capabilities: adapter.capabilities,
    details: (await adapter.describe(db, channel)) as ChannelDetails,
  };
}
