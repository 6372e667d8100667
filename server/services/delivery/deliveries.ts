import type { DbClient } from "@/server/db/client";
import type { Prisma } from "@/server/db/generated/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { recordEvent } from "@/server/services/events/record-event";
import { previewOf } from "@/server/services/messages/preview";
import { messageUpdated } from "@/lib/events/payloads";
import { retryMessage, STUCK_AFTER_MS } from "@/server/services/messages/send-message";
import { decodeTimedCursor, encodeCursor } from "@/server/services/pagination/keyset-cursor";

/**
 * The Delivery settings page: replies to customers that did not get through.
 * "failed" ones have a reason (deliver-message.ts); a failure after the queue's
 * last attempt ("… after N attempts") is dead-lettered — nothing will try it
 * again — which `gaveUp` says. "stuck" ones are still pending with no progress
 * for STUCK_AFTER_MS (their job gone, or waiting out a long backoff). Discarded
 * failures leave the list; private notes are never deliveries.
 */

type DeliveryState = "failed" | "stuck";
type DeliveryFilter = DeliveryState | "all";

const gaveUpPattern = /after (\d+) attempts$/;


/** Deliveries to look at, newest first, in cursor pages. */
export async function listDeliveries(db: DbClient, input: { state: DeliveryFilter; cursor?: string; limit: number; now?: Date }) {
  const stuckBefore = new Date((input.now ?? new Date()).getTime() - STUCK_AFTER_MS);
  const failed: Prisma.MessageWhereInput = { deliveryStatus: "failed" };
  const stuck: Prisma.MessageWhereInput = { deliveryStatus: "pending", updatedAt: { lt: stuckBefore } };
  const cursor = input.cursor ? decodeTimedCursor(input.cursor) : undefined;
  const rows = await db.message.findMany({
    where: {
      direction: "outbound",
      isPrivate: false,
      discardedAt: null,
      AND: [
        input.state === "failed" ? failed : input.state === "stuck" ? stuck : { OR: [failed, stuck] },
        ...(cursor ? [{ OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] }] : []),
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select: {
      id: true,
      text: true,
      attachments: true,
      content: true,
      deliveryStatus: true,
      deliveryError: true,
      createdAt: true,
      conversationId: true,
      conversation: { select: { contact: { select: { id: true, name: true } }, channel: { select: { id: true, name: true } } } },
    },
  });
  const page = rows.slice(0, input.limit);
  const items = page.map((row) => {
    const attempts = row.deliveryError?.match(gaveUpPattern)?.[1];
    return {
      messageId: row.id,
      conversationId: row.conversationId,
      contact: row.conversation.contact,
      channel: row.conversation.channel,
      preview: previewOf({ text: row.text, attachments: row.attachments as { kind: string }[] }),
      autoReply: ((row.content as { autoReply?: string } | null)?.autoReply ?? null) as string | null,
      createdAt: row.createdAt,
      state: (row.deliveryStatus === "failed" ? "failed" : "stuck") as DeliveryState,
      reason: row.deliveryError,
      /** Failed after the queue's last attempt: dead-lettered. */
      gaveUp: attempts !== undefined,
      /** Known for dead-lettered ones (the reason says); null otherwise. */
      attempts: attempts === undefined ? null : Number(attempts),
    };
  });
  return { items, nextCursor: rows.length > input.limit ? encodeCursor({ at: page.at(-1)!.createdAt, id: page.at(-1)!.id }) : null };
}

/** Sends a failed (or stuck) reply again, as the inbox's Retry does, and audits who did. */
export async function retryDelivery(db: DbClient, input: { tenantId: string; messageId: string; actor: Actor }) {
  const message = await retryMessage(db, { tenantId: input.tenantId, messageId: input.messageId });
  await recordAudit(db, { tenantId: input.tenantId, action: "delivery.retried", actor: input.actor, targetType: "message", targetId: message.id });
  return message;
}

/**
 * Gives up on a failed reply: it stays in the thread as failed, leaves the
 * Delivery list, and the inbox hears of it (message.updated). Audited.
 */
export async function discardDelivery(db: DbClient, input: { tenantId: string; messageId: string; actor: Actor }) {
  const message = await db.message.findUnique({ where: { id: input.messageId }, select: { id: true, direction: true, isPrivate: true, deliveryStatus: true, discardedAt: true, deliveryError: true } });
  if (!message) throw new AppError("NOT_FOUND", "no such message");
  if (message.direction !== "outbound" || message.isPrivate || message.deliveryStatus !== "failed") {
    throw new AppError("CONFLICT", "only a reply that failed to deliver can be discarded");
  }
  if (message.discardedAt) throw new AppError("CONFLICT", "this reply was already discarded");
  const updated = await db.message.update({ where: { id: message.id }, data: { discardedAt: new Date() } });
  await recordEvent(db, { tenantId: input.tenantId, type: "message.updated", conversationId: updated.conversationId, payload: messageUpdated(updated) });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "delivery.discarded",
    actor: input.actor,
    targetType: "message",
    targetId: message.id,
    metadata: { reason: message.deliveryError },
  });
  return updated;
}
