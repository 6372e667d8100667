import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { adapterFor } from "../registry";

/**
 * An agent is typing: the customer sees "typing…" where their channel shows it,
 * at most once per interval per conversation across all processes (the limiter's
 * store is shared). Best effort: a failure is not the agent's problem and is
 * reported as not sent.
 */
export async function forwardTyping(db: DbClient, limiter: RateLimiterAbstract, input: { conversationId: string }): Promise<{ sent: boolean }> {
  const conversation = await db.conversation.findUnique({ where: { id: input.conversationId }, include: { channel: true, contact: true } });
  if (!conversation) throw new AppError("NOT_FOUND", "no such conversation");
  const adapter = adapterFor(conversation.channel.type);
  if (!adapter.typing || conversation.contact.blockedAt || conversation.channel.status === "disconnected") return { sent: false };
  const slot = await limiter.consume(`typing:${conversation.id}`).then(() => true, () => false);
  if (!slot) return { sent: false };
  const sent = await adapter
    .typing(db, { tenantId: conversation.tenantId, channelId: conversation.channelId, conversation })
    .catch(() => false);
  return { sent };
}
