import type { Logger } from "@/server/logger";
import { createRateLimiters, createTelegramSendLimits } from "@/server/security/rate-limit";
import { startDeliveryRunner } from "@/server/worker/delivery-runner";
import { createTestDatabase } from "./database";
import { createTenantFixture } from "./fixtures";
import { startRealtimeNode } from "./realtime";
import { startTelegram } from "./telegram";
import { callerFor } from "./trpc";

/**
 * A customer message's whole path in one test process: the Telegram emulator
 * delivering to the webhook, a realtime node and a worker's job runner, all on
 * one test database and logging through `log` — for tests that follow work
 * across the three (request ids, traces). One connected bot, `token`.
 */
export async function startPipeline(options: { slug: string; botId: number; log: Logger }) {
  const secret = `${options.slug}-test-secret-`.padEnd(40, "x");
  const database = await createTestDatabase();
  const t = await createTenantFixture(database.db, options.slug);
  process.env.APP_SECRET = secret;
  const telegram = await startTelegram(database, {}, { log: options.log });
  const limiters = createRateLimiters({ databaseUrl: database.url });
  const node = await startRealtimeNode(database, { secret, limiters, log: options.log });
  const limits = createTelegramSendLimits({ databaseUrl: database.url });
  const runner = await startDeliveryRunner({ connectionString: database.url, appDb: database.appDb, limits, log: options.log });
  const token = telegram.emulator.addBot(`${options.botId}:${"P".repeat(35)}`, `${options.slug}_bot`).token;
  const channelId = (await callerFor(database, t.as("admin"), { tenantSlug: options.slug }).channels.connectTelegram({ token, mode: "webhook" })).id;
  return {
    database,
    t,
    telegram,
    token,
    channelId,
    async stop() {
      await runner.stop();
      await node.close();
      await limits.close();
      await limiters.close();
      await telegram.stop();
      await database.drop();
    },
  };
}

export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;
