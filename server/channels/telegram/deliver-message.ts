import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { AppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import type { JobOrigin } from "@/server/jobs/queue";
import type { Logger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
import { recordEvent } from "@/server/services/events/record-event";
import { channelApi, describeTelegramError, GrammyError, HttpError } from "./bot-api";
import { InputFile } from "grammy";
import { renderReply } from "./render-text";

type OutboundAttachment = { kind: "photo" | "document"; uploadId: string; fileName: string; fileId?: string; externalId?: string };

/** A 429 asking us to wait longer than this goes back to the queue instead of holding a worker. */
const MAX_INLINE_WAIT_SECONDS = 30;

export type SendLimits = { perBot: RateLimiterAbstract; perChat: RateLimiterAbstract; perGroup: RateLimiterAbstract };

/** Thrown to let the job queue try again later (with its backoff). */
export class RetryLater extends Error {}

type Attempt = { number: number; max: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a slot under Telegram's limits, shared by every worker (the limiter's store is shared). */
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

/** Attachment positions by what Telegram can send together: photos in one album, documents in another. */
function fileGroups(attachments: OutboundAttachment[]): number[][] {
  const byKind = new Map<string, number[]>();
  attachments.forEach((attachment, i) => {
    const kind = attachment.kind === "photo" ? "photo" : "document";
    byKind.set(kind, [...(byKind.get(kind) ?? []), i]);
  });
  return [...byKind.values()];
}

/**
 * Delivers one reply to Telegram: the `telegram.deliver` job. Safe to run again:
 * a message no longer pending is left alone, and the parts of a long reply
 * already sent are not sent again. Failures are classified as Telegram documents them.
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
    // Replies leave in the order they were written: wait for an earlier one still pending.
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
  const channel = conversation.channel;
  const sentIds = ((message.content as { externalIds?: string[] } | null)?.externalIds ?? []).slice();
  const parts = renderReply(message.text ?? "");
  const api = channelApi(channel, deps.timeoutSeconds ?? 30);
  let chatId = conversation.externalChatId;
  const isGroup = chatId.startsWith("-");

  const fail = async (reason: string, blocked = false) => {
    await withTenant(appDb, job.tenantId, async (tx) => {
      const failed = await tx.message.update({ where: { id: message.id }, data: { deliveryStatus: "failed", deliveryError: reason } });
      if (blocked) await tx.contact.update({ where: { id: conversation.contactId }, data: { blockedAt: new Date() } });
      await recordEvent(tx, { tenantId: job.tenantId, type: "message.updated", conversationId: conversation.id, payload: { message: failed } });
    }, origin);
    metrics().outboundSends.inc({ result: blocked ? "blocked" : "failed" });
    log.warn({ messageId: message.id, reason }, "reply not delivered");
    return "failed" as const;
  };

  const attachments = (message.attachments as OutboundAttachment[]).map((attachment) => ({ ...attachment }));
  const threadOptions = conversation.externalThreadId ? { message_thread_id: Number(conversation.externalThreadId) } : {};
  const replyOptions = (first: boolean) =>
    first && message.replyTo?.externalId && /^\d+$/.test(message.replyTo.externalId)
      ? { reply_parameters: { message_id: Number(message.replyTo.externalId), allow_sending_without_reply: true } }
      : {};
  // Text parts first, then the files: several photos as one album, several documents as another
  // (Telegram does not mix the two), a lone file on its own. Each step is recorded when Telegram accepts it.
  const groups = fileGroups(attachments);
  const steps = parts.length + groups.length;
  const done = (index: number) => (index < parts.length ? index < sentIds.length : groups[index - parts.length]!.every((i) => attachments[i]!.externalId));

  for (let index = 0; index < steps; ) {
    if (done(index)) {
      index++;
      continue;
    }
    await takeSlot(deps.limits.perBot, `bot:${channel.id}`);
    await takeSlot(isGroup ? deps.limits.perGroup : deps.limits.perChat, `chat:${channel.id}:${chatId}`);
    try {
      if (index < parts.length) {
        const sent = await api.sendMessage(chatId, parts[index]!, { parse_mode: "HTML", ...threadOptions, ...replyOptions(index === 0) });
        sentIds.push(String(sent.message_id));
      } else {
        const group = groups[index - parts.length]!.map((i) => attachments[i]!);
        const ids = group.map((attachment) => attachment.uploadId);
        const uploads = await withTenant(appDb, job.tenantId, (tx) => tx.upload.findMany({ where: { id: { in: ids } } }));
        const missing = group.find((attachment) => !uploads.some((upload) => upload.id === attachment.uploadId));
        if (missing) return fail(`the attached file ${missing.fileName} is gone`);
        const fileOf = (attachment: OutboundAttachment) => {
          const upload = uploads.find((candidate) => candidate.id === attachment.uploadId)!;
          return new InputFile(new Uint8Array(upload.bytes), upload.fileName);
        };
        const options = { ...threadOptions, ...replyOptions(index === 0) };
        if (group.length > 1) {
          // A group holds one kind (fileGroups), which is what Telegram's album types require.
          const sent =
            group[0]!.kind === "photo"
              ? await api.sendMediaGroup(chatId, group.map((attachment) => ({ type: "photo" as const, media: fileOf(attachment) })), options)
              : await api.sendMediaGroup(chatId, group.map((attachment) => ({ type: "document" as const, media: fileOf(attachment) })), options);
          sent.forEach((item, k) => {
            group[k]!.externalId = String(item.message_id);
            group[k]!.fileId = "photo" in item && item.photo ? item.photo.at(-1)?.file_id : "document" in item && item.document ? item.document.file_id : undefined;
          });
        } else if (group[0]!.kind === "photo") {
          const sent = await api.sendPhoto(chatId, fileOf(group[0]!), options);
          group[0]!.externalId = String(sent.message_id);
          group[0]!.fileId = sent.photo.at(-1)?.file_id;
        } else {
          const sent = await api.sendDocument(chatId, fileOf(group[0]!), options);
          group[0]!.externalId = String(sent.message_id);
          group[0]!.fileId = sent.document.file_id;
        }
      }
      index++;
      // Record each step at once, so a crash after it does not send it again.
      await withTenant(appDb, job.tenantId, (tx) =>
        tx.message.update({ where: { id: message.id }, data: { attachments, content: { ...((message.content as object) ?? {}), externalIds: sentIds } } }),
      );
    } catch (error) {
      if (error instanceof GrammyError) {
        const retryAfter = error.parameters.retry_after;
        if (error.error_code === 429 && retryAfter !== undefined) {
          metrics().outboundSends.inc({ result: "retried" });
          if (retryAfter > MAX_INLINE_WAIT_SECONDS) throw new RetryLater(`Telegram asked to wait ${retryAfter} s`);
          await sleep(retryAfter * 1000);
          continue;
        }
        if (error.error_code === 403) return fail(`Telegram refused: ${error.description}`, /blocked|deactivated/i.test(error.description));
        const migrateTo = error.parameters.migrate_to_chat_id;
        if (error.error_code === 400 && migrateTo) {
          const from = chatId;
          chatId = String(migrateTo);
          await withTenant(appDb, job.tenantId, async (tx) => {
            await tx.conversation.updateMany({ where: { channelId: channel.id, externalChatId: from }, data: { externalChatId: chatId } });
            await tx.contactIdentity.updateMany({ where: { channelId: channel.id, externalId: `chat:${from}` }, data: { externalId: `chat:${chatId}` } });
          });
          continue;
        }
        if (error.error_code >= 400 && error.error_code < 500) return fail(describeTelegramError(error));
      }
      // 5xx, timeouts and network errors: the queue retries with backoff, up to a limit.
      metrics().outboundSends.inc({ result: "retried" });
      if (attempt.number >= attempt.max) return fail(`${describeTelegramError(error)} after ${attempt.number} attempts`);
      if (!(error instanceof GrammyError) && !(error instanceof HttpError)) throw error;
      throw new RetryLater(describeTelegramError(error));
    }
  }

  await withTenant(appDb, job.tenantId, async (tx) => {
    const sent = await tx.message.update({
      where: { id: message.id },
      data: {
        deliveryStatus: "sent",
        deliveryError: null,
        externalId: sentIds[0] ?? attachments[0]?.externalId,
        attachments,
        content: { ...((message.content as object) ?? {}), externalIds: sentIds },
      },
    });
    await recordEvent(tx, { tenantId: job.tenantId, type: "message.updated", conversationId: conversation.id, payload: { message: sent } });
  }, origin);
  metrics().outboundSends.inc({ result: "sent" });
  metrics().deliveryLatency.observe((Date.now() - message.createdAt.getTime()) / 1000);
  return "sent";
}
