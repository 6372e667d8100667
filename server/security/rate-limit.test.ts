import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiterRes } from "rate-limiter-flexible";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { redisAvailable, testRedisUrl } from "@/server/test/redis";
import { createSendLimits } from "@/server/channels/core/send-limits";

/**
 * Telegram's per-bot spacing (one send per 38 ms) is shorter than a second. It must
 * hold and expire the same whether the limits live in PostgreSQL or in Redis — Redis
 * counts whole seconds, and a window rounded to 0 there never expires.
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as RateLimiterRes);

describe.each([
  ["PostgreSQL", false],
  ["Redis", true],
])("Telegram's send limits in %s", (_store, useRedis) => {
  it("space one bot's sends about 38 ms apart, again and again", async ({ skip }) => {
    if (useRedis && !(await redisAvailable())) skip();
    const limits = createSendLimits({ databaseUrl: database.url, ...(useRedis ? { redisUrl: testRedisUrl } : {}) });
    const key = `bot:test-${Math.random().toString(36).slice(2)}`;
    try {
      // The store's first query opens its connection, which can outlast the 38 ms window on a busy machine.
      await limits.limiters["telegram.perBot"]!.consume(`${key}:warm-up`);
      for (let round = 0; round < 3; round++) {
        await limits.limiters["telegram.perBot"]!.consume(key);
        const refused = await refusal(limits.limiters["telegram.perBot"]!.consume(key));
        expect(refused).toBeInstanceOf(RateLimiterRes);
        expect(refused!.msBeforeNext).toBeGreaterThan(0);
        expect(refused!.msBeforeNext).toBeLessThanOrEqual(38);
        await pause(60);
      }
      // A per-chat window of a whole second stays in the chosen store and holds too.
      await limits.limiters["telegram.perChat"]!.consume(`chat:${key}`);
      expect(await refusal(limits.limiters["telegram.perChat"]!.consume(`chat:${key}`))).toBeInstanceOf(RateLimiterRes);
    } finally {
      await limits.close();
    }
  });
});
