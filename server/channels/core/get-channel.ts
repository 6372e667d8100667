import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { channelView } from "./channel-view";

/** One channel of the workspace, as `channels.list` shows each. */
export async function getChannel(db: DbClient, input: { id: string }) {
  const channel = await db.channel.findUnique({ where: { id: input.id } });
  if (!channel) throw new AppError("NOT_FOUND", "no such channel");
  const quarantined = await db.quarantinedUpdate.count({ where: { channelId: channel.id, status: "pending" } });
  return channelView(db, channel, quarantined);
}
