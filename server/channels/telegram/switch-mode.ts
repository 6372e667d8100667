import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { channelApi, describeTelegramError } from "./bot-api";
import { applyMode } from "./connect-channel";

/**
 * Moves a channel between webhook and polling: Telegram is told first (set or
 * delete the webhook), and only when it agreed is the new mode stored, so the
 * poller and the webhook never both miss or both take the bot's updates.
 */
export async function switchChannelMode(db: DbClient, input: { tenantId: string; id: string; mode: "webhook" | "polling"; actor: Actor }) {
  const channel = await db.channel.findUnique({ where: { id: input.id }, include: { telegram: true } });
  const telegram = channel?.telegram;
  if (!channel || !telegram) throw new AppError("NOT_FOUND", "no such Telegram channel");
  if (channel.status === "disconnected") throw new AppError("CONFLICT", "this channel is disconnected; connect the bot again to use it");
  if (telegram.mode === input.mode) return { channel, telegram };
  try {
    await applyMode(channelApi(telegram, 15), { id: channel.id, mode: input.mode, webhookSecret: telegram.webhookSecret });
  } catch (error) {
    throw new AppError("SERVICE_UNAVAILABLE", `could not ${input.mode === "webhook" ? "set the webhook" : "switch the bot to polling"}: ${describeTelegramError(error)}`);
  }
  const updated = await db.channel.update({
    where: { id: channel.id },
    data: { status: "active", lastError: null, lastErrorAt: null, telegram: { update: { mode: input.mode } } },
    include: { telegram: true },
  });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "channel.mode_changed",
    actor: input.actor,
    targetType: "channel",
    targetId: channel.id,
    metadata: { bot: telegram.botUsername, from: telegram.mode, to: input.mode },
  });
  return { channel: updated, telegram: updated.telegram! };
}
