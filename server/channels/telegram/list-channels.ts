import type { DbClient } from "@/server/db/client";
import { channelApi, describeTelegramError } from "./bot-api";

export type ChannelHealth = { pendingUpdates: number; lastError: string | null; lastErrorAt: Date | null } | { unreachable: string };

/**
 * The workspace's channels with their status, never their tokens. Webhook
 * channels also report Telegram's own view (getWebhookInfo): updates waiting
 * and the last delivery error, so an admin sees a broken webhook at once; every
 * channel says how many of its updates wait in quarantine (not stored).
 */
export async function listChannels(db: DbClient) {
  const channels = await db.channel.findMany({ orderBy: { createdAt: "asc" } });
  const waiting = await db.quarantinedUpdate.groupBy({ by: ["channelId"], where: { status: "pending" }, _count: { _all: true } });
  const quarantinedOf = new Map(waiting.map((row) => [row.channelId, row._count._all]));
  return Promise.all(
    channels.map(async (channel) => {
      let webhook: ChannelHealth | null = null;
      if (channel.mode === "webhook" && channel.status !== "disconnected") {
        try {
          const info = await channelApi(channel, 5).getWebhookInfo();
          webhook = {
            pendingUpdates: info.pending_update_count,
            lastError: info.last_error_message ?? null,
            lastErrorAt: info.last_error_date ? new Date(info.last_error_date * 1000) : null,
          };
        } catch (error) {
          webhook = { unreachable: describeTelegramError(error) };
        }
      }
      return {
        id: channel.id,
        type: channel.type,
        name: channel.name,
        mode: channel.mode,
        status: channel.status,
        botUsername: channel.botUsername,
        lastError: channel.lastError,
        lastErrorAt: channel.lastErrorAt,
        createdAt: channel.createdAt,
        disconnectedAt: channel.disconnectedAt,
        webhook,
        quarantined: quarantinedOf.get(channel.id) ?? 0,
      };
    }),
  );
}
