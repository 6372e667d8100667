import { Api, GrammyError, HttpError } from "grammy";
import type { SystemDb, DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { open } from "@/server/security/secret-box";

/** What the product asks Telegram to send to its webhook (or return from getUpdates). */
export const allowedUpdates = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

export function apiRoot(): string {
  return process.env.TELEGRAM_API_ROOT || "https://api.telegram.org";
}

/** grammY's client for one bot, at TELEGRAM_API_ROOT; a request never waits more than `timeoutSeconds`. */
export function botApi(token: string, timeoutSeconds = 30): Api {
  return new Api(token, { apiRoot: apiRoot(), timeoutSeconds });
}

export function decryptToken(channel: { tokenCiphertext: string; tokenKeyId: string }): string {
  return open({ ciphertext: channel.tokenCiphertext, keyId: channel.tokenKeyId }, [process.env.ENCRYPTION_KEY ?? ""]);
}

/** A channel's API client; the token never leaves this module's callers. */
export async function apiForChannel(db: DbClient | SystemDb, channelId: string, timeoutSeconds?: number) {
  const channel = await db.channel.findUnique({ where: { id: channelId } });
  if (!channel) throw new AppError("NOT_FOUND", "no such channel");
  return { channel, api: botApi(decryptToken(channel), timeoutSeconds) };
}

/**
 * Telegram's errors in words a person can act on. grammY puts the token-bearing
 * URL in network errors' messages, so those are never passed on as they are.
 */
export function describeTelegramError(error: unknown): string {
  if (error instanceof GrammyError) return `Telegram answered ${error.error_code}: ${error.description}`;
  if (error instanceof HttpError) return "Telegram could not be reached";
  return "unexpected error talking to Telegram";
}

export { GrammyError, HttpError };
