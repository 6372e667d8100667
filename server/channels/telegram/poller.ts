import pg from "pg";
import type { SystemDb } from "@/server/db/client";
import type { Logger } from "@/server/logger";
import { metrics } from "@/server/metrics/registry";
import { allowedUpdates, channelApi, describeTelegramError, GrammyError } from "./bot-api";
import { takeUpdate } from "./take-update";
import { updateBytes } from "./update-bytes";

/** Seconds Telegram holds a getUpdates call open when there is nothing new. */
const LONG_POLL_SECONDS = 25;

type Poll = { stop: () => void; done: Promise<void> };

/**
 * Polling mode, for machines Telegram cannot reach: long-polls getUpdates for
 * every active polling channel. Each channel's poller holds a PostgreSQL
 * advisory lock on its own connection, so with any number of workers exactly one
 * polls a channel; if that worker dies its connection closes, the lock is
 * released and another worker takes over. The offset is saved after each update,
 * and ingest is idempotent, so a takeover repeats nothing. An update that cannot
 * be stored is quarantined and the offset moves past it (takeUpdate); while the
 * database itself is failing the poller waits `outageRetryMs` and fetches the
 * same updates again, so none is skipped.
 */
export function startPolling(options: { databaseUrl: string; systemDb: SystemDb; pool: pg.Pool; log: Logger; scanIntervalMs?: number; outageRetryMs?: number }) {
  const { systemDb, pool, log } = options;
  const outageRetryMs = options.outageRetryMs ?? 5000;
  const polls = new Map<string, Poll>();
  /** Channels whose lock this process holds, i.e. that it is polling. */
  const held = new Set<string>();
  let stopped = false;

  async function pollChannel(channelId: string, signal: AbortSignal): Promise<void> {
    const lock = new pg.Client({ connectionString: options.databaseUrl });
    lock.on("error", () => undefined);
    await lock.connect();
    try {
      const { rows } = await lock.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS locked", [`telegram-poll:${channelId}`]);
      if (!rows[0]?.locked) return; // another worker polls this channel
      held.add(channelId);
      log.info({ channelId }, "polling Telegram");
      while (!signal.aborted) {
        const channel = await systemDb.channel.findUnique({ where: { id: channelId }, include: { telegram: true } });
        const bot = channel?.telegram;
        if (!channel || !bot || channel.status === "disconnected" || bot.mode !== "polling") return;
        const api = channelApi(bot, LONG_POLL_SECONDS + 15);
        let updates;
        try {
          updates = await api.getUpdates(
            { offset: bot.pollingOffset === null ? undefined : Number(bot.pollingOffset), timeout: LONG_POLL_SECONDS, allowed_updates: [...allowedUpdates] },
            // grammY types the signal with its polyfill's AbortSignal; the platform's is what it uses.
            signal as unknown as Parameters<typeof api.getUpdates>[1],
          );
        } catch (error) {
          if (signal.aborted) return;
          const reason = describeTelegramError(error);
          await systemDb.channel.update({
            where: { id: channelId },
            data: { lastError: reason, lastErrorAt: new Date(), ...(error instanceof GrammyError && error.error_code === 401 ? { status: "error" } : {}) },
          });
          log.warn({ channelId, reason }, "getUpdates failed; retrying in 5 s");
          await new Promise((resolve) => setTimeout(resolve, 5000));
          continue;
        }
        let nextOffset = bot.pollingOffset;
        for (const raw of updates) {
          try {
            // The bytes are taken before anything is cleaned: a quarantine keeps what Telegram sent.
            await takeUpdate({ pool, log }, { tenantId: channel.tenantId, channelId }, { bytes: updateBytes(raw), value: raw });
          } catch (error) {
            metrics().webhookUpdates.inc({ result: "error" });
            log.error({ err: error, channelId }, `update not stored; fetching it again in ${outageRetryMs / 1000} s`);
            await new Promise((resolve) => setTimeout(resolve, outageRetryMs));
            break;
          }
          // An update without a usable id cannot be fetched past by its own; the next one's id moves the offset on.
          if (Number.isSafeInteger(raw.update_id) && raw.update_id >= 0) nextOffset = BigInt(raw.update_id + 1);
          await systemDb.channel.update({ where: { id: channelId }, data: { lastError: null, telegram: { update: { pollingOffset: nextOffset } } } });
        }
      }
    } finally {
      held.delete(channelId);
      await lock.end().catch(() => undefined);
    }
  }

  async function scan(): Promise<void> {
    const channels = await systemDb.channel.findMany({ where: { status: "active", telegram: { mode: "polling" } }, select: { id: true } });
    for (const { id } of channels) {
      if (polls.has(id) || stopped) continue;
      const controller = new AbortController();
      const done = pollChannel(id, controller.signal)
        .catch((error: unknown) => log.error({ err: error, channelId: id }, "poller stopped"))
        .finally(() => polls.delete(id));
      polls.set(id, { stop: () => controller.abort(), done });
    }
  }

  const timer = setInterval(() => void scan().catch((error: unknown) => log.error({ err: error }, "poll scan failed")), options.scanIntervalMs ?? 5000);
  void scan().catch((error: unknown) => log.error({ err: error }, "poll scan failed"));

  return {
    /** Channels this process is polling right now (holding their lock). */
    polling: () => [...held],
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const poll of polls.values()) poll.stop();
      await Promise.all([...polls.values()].map((poll) => poll.done));
    },
  };
}
