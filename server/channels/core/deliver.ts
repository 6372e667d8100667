import type { Prisma } from "@/server/db/generated/client";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { messageUpdated } from "@/lib/events/payloads";
import type { MessageButton, MessageContent } from "@/lib/messages/content";
import type { AppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { JobOrigin } from "@/server/jobs/queue";
import type { Logger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
import { recordEvent } from "@/server/services/events/record-event";
import type { OutboundAttachment, SendContext, SendOutcome } from "../contract";
import { adapterFor } from "../registry";
import type { SendLimits } from "./send-limits";

/** A channel asking us to wait longer than this goes back to the queue instead of holding a worker. */
const MAX_INLINE_WAIT_SECONDS = 30;

/** Thrown to let the job queue try again later (with its backoff). */
export class RetryLater extends Error {}

type Attempt = { number: number; max: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a slot under a limit shared by every worker (the limiter's store is shared). */
async function takeSlot(limiter: RateLimiterAbstract, key: string): Promise<void> {
  for (;;) {
    try {
      await limiter.consume(key);
      return;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      // At least a few ms: a store that answers "wait 0" (or less) must not turn this into a busy loop.
      await sleep(Math.max(error.msBeforeNext, 0) + 5);
    }
  }
}

/**
 * Delivers one reply through its channel's adapter: the delivery job. Safe to
 * run again: a message no longer pending is left alone, and the parts of a long
 * reply already sent are not sent again (the adapter records each part as it
 * goes). Replies of a conversation leave in the order they were written; the
 * adapter's outcome decides what follows — sent, a wait the channel asked for
 * (short ones here, long ones back in the queue), a retry with the queue's
 * backoff up to its attempts, or a permanent failure with its reason.
 */
export async function deliverMessage(
  deps: { appDb: AppDb; limits: SendLimits; log: Logger; timeoutSeconds?: number },
  job: { tenantId: string; messageId: string } & JobOrigin,
  attempt: Attempt,
): Promise<"sent" | "failed" | "skipped"> {
  const { appDb, log } = deps;
  // The events this writes (sent, failed) carry the id of the request that sent the reply.
  const origin = { requestId: job.requestId };
  const loaded = await withTenant(appDb, job.tenantId, async (tx) => {
    const message = await tx.message.findUnique({ where: { id: job.messageId }, include: { conversation: { include: { channel: true } }, replyTo: true } });
    if (!message || message.deliveryStatus !== "pending") return null;
    const earlier = await tx.message.findFirst({
      where: { conversationId: message.conversationId, direction: "outbound", isPrivate: false, deliveryStatus: "pending", createdAt: { lt: message.createdAt } },
      select: { id: true },
    });
    return { message, earlier };
  });
  if (!loaded) return "skipped";
  const { message, earlier } = loaded;
  if (earlier) throw new RetryLater(`waiting for earlier reply ${earlier.id}`);

  const { conversation } = message;
  const adapter = adapterFor(conversation.channel.type);
  const content = (message.content as MessageContent | null) ?? {};
  let progress = {
    sentIds: (content.externalIds ?? []).slice(),
    attachments: (message.attachments as OutboundAttachment[]).map((attachment) => ({ ...attachment })),
  };
  const contentWith = (sentIds: string[]): Prisma.InputJsonObject => ({ ...(content as Prisma.InputJsonObject), externalIds: sentIds });

  const fail = async (reason: string, blocked = false) => {
    await withTenant(appDb, job.tenantId, async (tx) => {
      const failed = await tx.message.update({ where: { id: message.id }, data: { deliveryStatus: "failed", deliveryError: reason } });
      if (blocked) await tx.contact.update({ where: { id: conversation.contactId }, data: { blockedAt: new Date() } });
      await recordEvent(tx, { tenantId: job.tenantId, type: "message.updated", conversationId: conversation.id, payload: messageUpdated(failed) });
    }, origin);
    metrics().outboundSends.inc({ channel: adapter.kind, result: blocked ? "blocked" : "failed" });
    log.warn({ messageId: message.id, reason }, "reply not delivered");
    return "failed" as const;
  };

  const context: SendContext = {
    appDb,
    log,
    timeoutSeconds: deps.timeoutSeconds ?? 30,
    takeTurn: async (limits) => {
      for (const { limiter, key } of limits) {
        const shared = deps.limits.limiters[`${adapter.kind}.${limiter}`];
        if (!shared) throw new Error(`channel ${adapter.kind} names an undeclared limit ${limiter}`);
        await takeSlot(shared, key);
      }
    },
    loadUpload: (uploadId) =>
      withTenant(appDb, job.tenantId, (tx) => tx.upload.findUnique({ where: { id: uploadId }, select: { bytes: true, fileName: true, mimeType: true } })).then((upload) =>
        upload ? { bytes: new Uint8Array(upload.bytes), fileName: upload.fileName, mimeType: upload.mimeType } : null,
      ),
    recordProgress: async (next) => {
      progress = { sentIds: next.sentIds.slice(), attachments: next.attachments.map((attachment) => ({ ...attachment })) };
      await withTenant(appDb, job.tenantId, (tx) =>
        tx.message.update({ where: { id: message.id }, data: { attachments: progress.attachments, content: contentWith(progress.sentIds) } }),
      );
    },
    moveChat: async (move) => {
      await withTenant(appDb, job.tenantId, async (tx) => {
        await tx.conversation.updateMany({ where: { channelId: conversation.channelId, externalChatId: move.from }, data: { externalChatId: move.to } });
        await tx.contactIdentity.updateMany({ where: { channelId: conversation.channelId, externalId: move.identity.from }, data: { externalId: move.identity.to } });
      });
    },
  };

  let outcome: SendOutcome;
  for (;;) {
    outcome = await adapter.send(context, {
      channelId: conversation.channelId,
      tenantId: job.tenantId,
      conversation: { id: conversation.id, externalChatId: conversation.externalChatId, externalThreadId: conversation.externalThreadId },
      message: {
        id: message.id,
        text: message.text,
        attachments: progress.attachments.map((attachment) => ({ ...attachment })),
        buttons: (content.buttons ?? []) as MessageButton[],
        replyToExternalId: message.replyTo?.externalId ?? null,
      },
      sentIds: progress.sentIds.slice(),
    });
    if (outcome.status !== "retry") break;
    metrics().outboundSends.inc({ channel: adapter.kind, result: "retried" });
    if (outcome.afterSeconds !== undefined) {
      if (outcome.afterSeconds > MAX_INLINE_WAIT_SECONDS) throw new RetryLater(outcome.reason);
      await sleep(outcome.afterSeconds * 1000);
      continue;
    }
    if (attempt.number >= attempt.max) return fail(`${outcome.reason} after ${attempt.number} attempts`);
    throw new RetryLater(outcome.reason);
  }
  if (outcome.status === "permanent") return fail(outcome.reason, outcome.contactBlocked ?? false);

  await withTenant(appDb, job.tenantId, async (tx) => {
    const sent = await tx.message.update({
      where: { id: message.id },
      data: {
        deliveryStatus: "sent",
        deliveryError: null,
        externalId: outcome.externalId ?? progress.sentIds[0] ?? progress.attachments[0]?.externalId,
        attachments: progress.attachments,
        content: contentWith(progress.sentIds),
      },
    });
    await recordEvent(tx, { tenantId: job.tenantId, type: "message.updated", conversationId: conversation.id, payload: messageUpdated(sent) });
  }, origin);
  metrics().outboundSends.inc({ channel: adapter.kind, result: "sent" });
  metrics().deliveryLatency.observe({ channel: adapter.kind }, (Date.now() - message.createdAt.getTime()) / 1000);
  return "sent";
}
