import { InputFile } from "grammy";
import type { ChannelAdapter, OutboundAttachment, OutboundMessage, SendContext, SendOutcome } from "../contract";
import { withTenant } from "@/server/db/tenant-scope";
import { answerCallback, ANSWER_CALLBACK_TASK, type AnswerCallbackJob } from "./answer-callback";
import { channelApi, channelFileUrl, describeTelegramError, GrammyError, HttpError } from "./bot-api";
import { renderReply } from "./render-text";

export type TelegramDetails = {
  kind: "telegram";
  mode: "webhook" | "polling";
  botUsername: string | null;
  /** Telegram's own view of a webhook channel (getWebhookInfo), so an admin sees a broken webhook at once. */
  webhook: { pendingUpdates: number; lastError: string | null; lastErrorAt: Date | null } | { unreachable: string } | null;
};

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
 * Sends one reply through the Bot API: text parts first (a long reply is split
 * at Telegram's 4,096 characters), then the files — several photos as one
 * album, several documents as another (Telegram does not mix the two), a lone
 * file on its own — each step recorded when Telegram accepts it. Telegram's
 * errors become outcomes as it documents them.
 */
async function send(context: SendContext, outbound: OutboundMessage): Promise<SendOutcome> {
  const bot = await withTenant(context.appDb, outbound.tenantId, (db) => db.telegramChannel.findUnique({ where: { channelId: outbound.channelId } }));
  if (!bot) return { status: "permanent", reason: "this conversation's Telegram bot is no longer connected" };
  const api = channelApi(bot, context.timeoutSeconds);
  const { message } = outbound;
  const sentIds = outbound.sentIds.slice();
  const attachments = message.attachments;
  const parts = renderReply(message.text ?? "");
  let chatId = outbound.conversation.externalChatId;
  const threadOptions = outbound.conversation.externalThreadId ? { message_thread_id: Number(outbound.conversation.externalThreadId) } : {};
  const replyOptions = (first: boolean) =>
    first && message.replyToExternalId && /^\d+$/.test(message.replyToExternalId)
      ? { reply_parameters: { message_id: Number(message.replyToExternalId), allow_sending_without_reply: true } }
      : {};
  const groups = fileGroups(attachments);
  const steps = parts.length + groups.length;
  const done = (index: number) => (index < parts.length ? index < sentIds.length : groups[index - parts.length]!.every((i) => attachments[i]!.externalId));

  for (let index = 0; index < steps; ) {
    if (done(index)) {
      index++;
      continue;
    }
    await context.takeTurn([
      { limiter: "perBot", key: `bot:${outbound.channelId}` },
      { limiter: chatId.startsWith("-") ? "perGroup" : "perChat", key: `chat:${outbound.channelId}:${chatId}` },
    ]);
    try {
      if (index < parts.length) {
        const sent = await api.sendMessage(chatId, parts[index]!, { parse_mode: "HTML", ...threadOptions, ...replyOptions(index === 0) });
        sentIds.push(String(sent.message_id));
      } else {
        const group = groups[index - parts.length]!.map((i) => attachments[i]!);
        const files = await Promise.all(group.map((attachment) => context.loadUpload(attachment.uploadId)));
        const missing = group.find((_, k) => !files[k]);
        if (missing) return { status: "permanent", reason: `the attached file ${missing.fileName} is gone` };
        const fileOf = (k: number) => new InputFile(files[k]!.bytes, files[k]!.fileName);
        const options = { ...threadOptions, ...replyOptions(index === 0) };
        if (group.length > 1) {
          // A group holds one kind (fileGroups), which is what Telegram's album types require.
          const sent =
            group[0]!.kind === "photo"
              ? await api.sendMediaGroup(chatId, group.map((_, k) => ({ type: "photo" as const, media: fileOf(k) })), options)
              : await api.sendMediaGroup(chatId, group.map((_, k) => ({ type: "document" as const, media: fileOf(k) })), options);
          sent.forEach((item, k) => {
            group[k]!.externalId = String(item.message_id);
            group[k]!.fileId = "photo" in item && item.photo ? item.photo.at(-1)?.file_id : "document" in item && item.document ? item.document.file_id : undefined;
          });
        } else if (group[0]!.kind === "photo") {
          const sent = await api.sendPhoto(chatId, fileOf(0), options);
          group[0]!.externalId = String(sent.message_id);
          group[0]!.fileId = sent.photo.at(-1)?.file_id;
        } else {
          const sent = await api.sendDocument(chatId, fileOf(0), options);
          group[0]!.externalId = String(sent.message_id);
          group[0]!.fileId = sent.document.file_id;
        }
      }
      index++;
      // Record each step at once, so a crash after it does not send it again.
      await context.recordProgress({ sentIds, attachments });
    } catch (error) {
      if (error instanceof GrammyError) {
        const retryAfter = error.parameters.retry_after;
        if (error.error_code === 429 && retryAfter !== undefined) return { status: "retry", reason: `Telegram asked to wait ${retryAfter} s`, afterSeconds: retryAfter };
        if (error.error_code === 403) return { status: "permanent", reason: `Telegram refused: ${error.description}`, contactBlocked: /blocked|deactivated/i.test(error.description) };
        const migrateTo = error.parameters.migrate_to_chat_id;
        if (error.error_code === 400 && migrateTo) {
          // The group became a supergroup: its conversations follow, and this part goes to the new chat.
          const from = chatId;
          chatId = String(migrateTo);
          await context.moveChat({ from, to: chatId, identity: { from: `chat:${from}`, to: `chat:${chatId}` } });
          continue;
        }
        if (error.error_code >= 400 && error.error_code < 500) return { status: "permanent", reason: describeTelegramError(error) };
      } else if (!(error instanceof HttpError)) {
        context.log.warn({ err: error, messageId: message.id }, "unexpected error sending to Telegram");
      }
      // 5xx, timeouts and network errors: the queue retries with backoff, up to a limit.
      return { status: "retry", reason: describeTelegramError(error) };
    }
  }
  return { status: "sent", externalId: sentIds[0] ?? attachments[0]?.externalId ?? null };
}

export const telegramAdapter = {
  kind: "telegram",
  capabilities: { attachments: ["photo", "document"], edits: true, deletes: false, typing: true, buttons: false, readReceipts: false, textLimit: 4096 },
  /**
   * About 30 messages/s per bot — one per 38 ms, so that no second, wherever it
   * starts, holds more than 29 and the sends are spread evenly rather than bunched
   * at a window's start — 1/s per chat, and 20/min per group.
   */
  sendLimits: {
    perBot: { points: 1, durationSeconds: 0.038 },
    perChat: { points: 1, durationSeconds: 1 },
    perGroup: { points: 20, durationSeconds: 60 },
  },
  jobs: {
    [ANSWER_CALLBACK_TASK]: async (deps, payload) => {
      const result = await answerCallback(deps, payload as AnswerCallbackJob);
      deps.log.debug({ result }, "button press answered");
    },
  },
  send,
  /** Telegram shows "typing…" for about 5 s; the core forwards at most one chat action per 4 s. */
  typing: async (db, target) => {
    const bot = await db.telegramChannel.findUnique({ where: { channelId: target.channelId } });
    if (!bot) return false;
    await channelApi(bot, 5).sendChatAction(target.conversation.externalChatId, "typing", {
      ...(target.conversation.externalThreadId ? { message_thread_id: Number(target.conversation.externalThreadId) } : {}),
    });
    return true;
  },
  openFile: async ({ appDb, tenantId }, channelId, fileId, signal) => {
    const bot = await withTenant(appDb, tenantId, (db) => db.telegramChannel.findUnique({ where: { channelId } }));
    if (!bot) return { ok: false, reason: "this file's Telegram bot is no longer connected" };
    let file;
    try {
      file = await channelApi(bot, 15).getFile(fileId);
    } catch (error) {
      return { ok: false, reason: `the file is not available from Telegram (${describeTelegramError(error)})` };
    }
    if (!file.file_path) return { ok: false, reason: "Telegram gave no download for this file (over 20 MB?)" };
    // The download's URL holds the bot token: it is fetched here and never reaches a browser.
    const upstream = await fetch(channelFileUrl(bot, file.file_path), { signal }).catch(() => null);
    if (!upstream?.ok || !upstream.body) {
      // Whatever Telegram did send is let go at once rather than left open until it is collected.
      await upstream?.body?.cancel().catch(() => undefined);
      return { ok: false, reason: "the file could not be downloaded from Telegram" };
    }
    return {
      ok: true,
      body: upstream.body,
      name: file.file_path.split("/").pop() ?? null,
      // fetch decodes a compressed answer, so its Content-Length would not be the length of what is sent on.
      length: upstream.headers.get("content-encoding") ? null : upstream.headers.get("content-length"),
    };
  },
  describe: async (db, channel): Promise<TelegramDetails> => {
    const bot = await db.telegramChannel.findUnique({ where: { channelId: channel.id } });
    let webhook: TelegramDetails["webhook"] = null;
    if (bot?.mode === "webhook" && channel.status !== "disconnected") {
      try {
        const info = await channelApi(bot, 5).getWebhookInfo();
        webhook = {
          pendingUpdates: info.pending_update_count,
          lastError: info.last_error_message ?? null,
          lastErrorAt: info.last_error_date ? new Date(info.last_error_date * 1000) : null,
        };
      } catch (error) {
        webhook = { unreachable: describeTelegramError(error) };
      }
    }
    return { kind: "telegram", mode: bot?.mode ?? "polling", botUsername: bot?.botUsername ?? null, webhook };
  },
  disconnect: async (db, channel) => {
    const bot = await db.telegramChannel.findUnique({ where: { channelId: channel.id } });
    if (bot) await channelApi(bot, 10).deleteWebhook();
  },
} satisfies ChannelAdapter<TelegramDetails>;
