import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { channelApi } from "./bot-api";

/** Telegram shows "typing…" for about 5 s; one chat action per 4 s keeps it on without flooding. */
export const TYPING_INTERVAL_SECONDS = 4;

/**
 * An agent is typing: shows "typing…" to the customer (sendChatAction), at most
 * once per interval per conversation across all web processes. Best effort: a
 * failure is not the agent's problem and is reported as not sent.
 */
export async function sendTyping(db: DbClient, limiter: RateLimiterAbstract, input: { conversationId: string }): Promise<{ sent: boolean }> {
  const conversation = await db.conversation.findUnique({ where: { id: input.conversationId }, include: { channel: true, contact: true } });
  if (!conversation) throw new AppError("NOT_FOUND", "no such conversation");
  if (conversation.contact.blockedAt || conversation.channel.status === "disconnected") return { sent: false };
  const slot = await limiter.consume(`typing:${conversation.id}`).then(() => true, () => false);
  if (!slot) return { sent: false };
  try {
    await channelApi(conversation.channel, 5).sendChatAction(conversation.externalChatId, "typing", {
      ...(conversation.externalThreadId ? { message_thread_id: Number(conversation.externalThreadId) } : {}),
    });
    return { sent: true };
  } catch {
    return { sent: false };
  }
}
