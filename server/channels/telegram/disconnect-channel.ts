import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { channelApi } from "./bot-api";

/**
 * Stops intake: the webhook is removed (best effort — a bot whose token was
 * revoked cannot be reached, and must still be disconnectable) and the poller
 * skips the channel. Conversations and messages stay.
 */
export async function disconnectChannel(db: DbClient, input: { tenantId: string; id: string; actor: Actor }) {
  const channel = await db.channel.findUnique({ where: { id: input.id } });
  if (!channel) throw new AppError("NOT_FOUND", "no such channel");
  if (channel.status === "disconnected") return channel;
  await channelApi(channel, 10)
    .deleteWebhook()
    .catch(() => undefined);
  const updated = await db.channel.update({ where: { id: channel.id }, data: { status: "disconnected", disconnectedAt: new Date() } });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "channel.disconnected",
    actor: input.actor,
    targetType: "channel",
    targetId: channel.id,
    metadata: { bot: channel.botUsername },
  });
  return updated;
}
