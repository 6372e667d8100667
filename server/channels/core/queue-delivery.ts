import type { DbClient } from "@/server/db/client";
import { enqueue } from "@/server/jobs/queue";

/** The delivery job of every channel. */
export const DELIVER_TASK = "channel.deliver";
/** Names jobs were queued under before channels shared one delivery: still run, by the same task. */
export const LEGACY_DELIVER_TASKS = ["telegram.deliver"] as const;
export const DELIVERY_MAX_ATTEMPTS = 10;

/** One queue per conversation: graphile-worker runs a queue's jobs one at a time, in order. */
export function deliveryQueue(conversationId: string): string {
  return `deliver:${conversationId}`;
}

/** Queues a reply's delivery in the caller's transaction: the message and its job commit together. */
export async function enqueueDelivery(db: DbClient, message: { id: string; tenantId: string; conversationId: string }) {
  await enqueue(db, {
    task: DELIVER_TASK,
    payload: { tenantId: message.tenantId, messageId: message.id },
    queue: deliveryQueue(message.conversationId),
    key: `deliver:${message.id}`,
    maxAttempts: DELIVERY_MAX_ATTEMPTS,
  });
}
