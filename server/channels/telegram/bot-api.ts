import { Api, GrammyError, HttpError } from "grammy";
import { open } from "@/server/security/secret-box";

/** What the product asks Telegram to send to its webhook (or return from getUpdates). */
export const allowedUpdates = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

export function apiRoot(): string {
  return process.env.TELEGRAM_API_ROOT || "https://api.telegram.org";
}

/** grammY's client for one bot, at TELEGRAM_API_ROOT (or `root`); a request never waits more than `timeoutSeconds`. */
export function botApi(token: string, timeoutSeconds = 30, root = apiRoot()): Api {
  return new Api(token, { apiRoot: root, timeoutSeconds });
}

type StoredChannel = { tokenCiphertext: string; tokenKeyId: string; apiRoot: string | null };

/** The client of a stored channel, at its own Bot API address when it has one. */
export function channelApi(channel: StoredChannel, timeoutSeconds = 30): Api {
  return botApi(decryptToken(channel), timeoutSeconds, channel.apiRoot ?? apiRoot());
}

/** Where a channel's file downloads come from (the token is in it: server-side only). */
export function channelFileUrl(channel: StoredChannel, filePath: string): string {
  return `${channel.apiRoot ?? apiRoot()}/file/bot${decryptToken(channel)}/${filePath}`;
}

export function decryptToken(channel: { tokenCiphertext: string; tokenKeyId: string }): string {
  return open({ ciphertext: channel.tokenCiphertext, keyId: channel.tokenKeyId }, [process.env.ENCRYPTION_KEY ?? ""]);
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
