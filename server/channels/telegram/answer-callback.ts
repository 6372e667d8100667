import type { AppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { JobOrigin } from "@/server/jobs/queue";
import type { Logger } from "@/server/logger";
import { channelApi, describeTelegramError, GrammyError } from "./bot-api";

export const ANSWER_CALLBACK_TASK = "telegram.answer_callback";
/** Telegram stops accepting an answer after some seconds; a few quick tries are all that is useful. */
export const ANSWER_CALLBACK_ATTEMPTS = 3;

export type AnswerCallbackJob = { tenantId: string; channelId: string; callbackQueryId: string } & JobOrigin;

/**
 * Answers a customer's button press (answerCallbackQuery), so their app stops
 * showing a spinner on the button. The press itself is already in the inbox; this
 * only acknowledges it. A 400 (too old, already answered) is final; a network
 * error or 5xx is thrown for the queue to retry.
 */
export async function answerCallback(deps: { appDb: AppDb; log: Logger }, job: AnswerCallbackJob): Promise<"answered" | "expired" | "no channel"> {
  const channel = await withTenant(deps.appDb, job.tenantId, (db) => db.channel.findUnique({ where: { id: job.channelId }, include: { telegram: true } }));
  if (!channel?.telegram || channel.status === "disconnected") return "no channel";
  try {
    await channelApi(channel.telegram, 10).answerCallbackQuery(job.callbackQueryId);
    return "answered";
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 400) {
      deps.log.info({ channelId: job.channelId, reason: describeTelegramError(error) }, "button press not answered: Telegram no longer accepts it");
      return "expired";
    }
    throw new Error(describeTelegramError(error));
  }
}
