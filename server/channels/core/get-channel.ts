import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { adapterFor, type ChannelDetails } from "../registry";

/**
 * One channel of the workspace as `channels.list` shows each: status, the
 * kind's capabilities and its own settings and health (`details`, from its
 * adapter; never a secret — a widget's embed snippet is there, its identity
 * secret is not), and how many of its inbound items wait in quarantine.
 */
export async function getChannel(db: DbClient, input: { id: string }) {
  const channel = await db.channel.findUnique({ where: { id: input.id } });
  if (!channel) throw new AppError("NOT_FOUND", "no such channel");
  const adapter = adapterFor(channel.type);
  const quarantined = await db.quarantinedUpdate.count({ where: { channelId: channel.id, status: "pending" } });
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
