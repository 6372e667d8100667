import { createLogger, type Logger } from "@/server/logger";
import { createRateLimiters } from "@/server/security/rate-limit";
import { createSendLimits } from "@/server/channels/core/send-limits";
import { startDeliveryRunner } from "@/server/worker/delivery-runner";
import { createTestDatabase } from "./database";
import { createTenantFixture } from "./fixtures";
import { startRealtimeNode } from "./realtime";
import { startTelegram } from "./telegram";
import { callerFor } from "./trpc";

/**
 * A customer message's whole path in one test process: the Telegram emulator
 * delivering to the webhook, a worker's job runner and (unless `realtime: false`)
 * a realtime node, all on one test database and logging through `log` (silent by
 * default). One bot, `token`, connected in webhook mode by the workspace's admin.
 */
export async function startPipeline(options: { slug: string; botId: number; log?: Logger; realtime?: boolean; concurrency?: number }) {
  const log = options.log ?? createLogger("test", (process.env.PIPELINE_LOG as "silent") ?? "silent");
  const secret = `${options.slug}-test-secret-`.padEnd(40, "x");
  const database = await createTestDatabase();
  const t = await createTenantFixture(database.db, options.slug);
  process.env.APP_SECRET = secret;
  const telegram = await startTelegram(database, {}, { log });
  const limiters = options.realtime === false ? undefined : createRateLimiters({ databaseUrl: database.url });
  const node = limiters ? await startRealtimeNode(database, { secret, limiters, log }) : undefined;
  const limits = createSendLimits({ databaseUrl: database.url });
  const runner = await startDeliveryRunner({ connectionString: database.url, appDb: database.appDb, limits, log, concurrency: options.concurrency });
  const token = telegram.emulator.addBot(`${options.botId}:${"P".repeat(35)}`, `${options.slug}_bot`).token;
  const channelId = (await callerFor(database, t.as("admin"), { tenantSlug: options.slug }).channels.connectTelegram({ token, mode: "webhook" })).id;
  return {
    database,
    t,
    telegram,
    token,
    channelId,
    /** Telegram's send limits the runner uses, for tests that call a task directly. */
    limits,
    /** The realtime node (unless `realtime: false`), for tests that connect sockets. */
    realtime: node,
    secret,
    async stop() {
      await runner.stop();
      await node?.close();
      await limits.close();
      await limiters?.close();
      await telegram.stop();
      await database.drop();
    },
  };
}

export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
