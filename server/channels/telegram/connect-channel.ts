import { randomBytes } from "node:crypto";
import { processPublicUrl, telegramMode } from "@/lib/env";
import type { DbClient, SystemDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { seal } from "@/server/security/secret-box";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import type { Api } from "grammy";
import { allowedUpdates, botApi, describeTelegramError, GrammyError } from "./bot-api";

export const telegramTokenPattern = /^\d{5,16}:[A-Za-z0-9_-]{30,64}$/;

export function webhookUrl(channelId: string): string {
  return `${processPublicUrl()}/api/telegram/${channelId}/webhook`;
}

export function defaultMode(): "webhook" | "polling" {
  return telegramMode({ PUBLIC_URL: process.env.PUBLIC_URL, TELEGRAM_MODE: (process.env.TELEGRAM_MODE || undefined) as "webhook" | "polling" | undefined });
}

/** Points Telegram at us: a webhook with this channel's secret, or none so the worker can poll. */
export async function applyMode(api: Api, channel: { id: string; mode: "webhook" | "polling"; webhookSecret: string }): Promise<void> {
  if (channel.mode === "webhook") {
    await api.setWebhook(webhookUrl(channel.id), {
      secret_token: channel.webhookSecret,
      allowed_updates: [...allowedUpdates],
      max_connections: 40,
    });
  } else {
    await api.deleteWebhook({ drop_pending_updates: false });
  }
}

/**
 * Connects a Telegram bot: the token is checked with getMe (a wrong one is a
 * clear error), stored encrypted, and Telegram is told where to deliver. One bot
 * serves one workspace: a bot connected elsewhere is refused without saying where.
 */
export async function connectTelegram(
  db: DbClient,
  systemDb: SystemDb,
  input: { tenantId: string; token: string; name?: string; mode?: "webhook" | "polling"; actor: Actor },
) {
  const token = input.token.trim();
  if (!telegramTokenPattern.test(token)) {
    const message = "this does not look like a bot token; copy it from @BotFather, like 123456789:AAE…";
    throw new AppError("BAD_REQUEST", message, { fieldErrors: { token: [message] } });
  }
  let me;
  try {
    me = await botApi(token, 15).getMe();
  } catch (error) {
    if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
      const message = "Telegram does not accept this token; check it with @BotFather (/token)";
      throw new AppError("BAD_REQUEST", message, { fieldErrors: { token: [message] } });
    }
    throw new AppError("SERVICE_UNAVAILABLE", `${describeTelegramError(error)}; try again in a moment`);
  }
  const taken = await systemDb.telegramChannel.findFirst({ where: { botId: BigInt(me.id), channel: { status: { not: "disconnected" } } }, select: { tenantId: true } });
  if (taken) {
    throw new AppError("CONFLICT", taken.tenantId === input.tenantId ? `@${me.username} is already connected here` : `@${me.username} is connected to another workspace; disconnect it there first`);
  }
  const sealed = seal(token, process.env.ENCRYPTION_KEY ?? "");
  const channel = await db.channel.create({
    data: {
      tenantId: input.tenantId,
      type: "telegram",
      name: input.name?.trim() || `@${me.username}`,
      status: "active",
      telegram: {
        create: {
          tenantId: input.tenantId,
          mode: input.mode ?? defaultMode(),
          tokenCiphertext: sealed.ciphertext,
          tokenKeyId: sealed.keyId,
          botId: BigInt(me.id),
          botUsername: me.username,
          webhookSecret: randomBytes(32).toString("base64url"),
        },
      },
    },
    include: { telegram: true },
  });
  const telegram = channel.telegram!;
  try {
    await applyMode(botApi(token, 15), { id: channel.id, mode: telegram.mode, webhookSecret: telegram.webhookSecret });
  } catch (error) {
    throw new AppError("SERVICE_UNAVAILABLE", `could not ${telegram.mode === "webhook" ? "set the webhook" : "switch the bot to polling"}: ${describeTelegramError(error)}`);
  }
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "channel.connected",
    actor: input.actor,
    targetType: "channel",
    targetId: channel.id,
    metadata: { bot: me.username, mode: telegram.mode },
  });
  return { channel, telegram };
}
