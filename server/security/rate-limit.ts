import { Redis } from "ioredis";
import pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "@/server/errors";

/**
 * Rate limits shared by every web process: in Redis when REDIS_URL is set,
 * otherwise in PostgreSQL (the `rate_limits` table), so several processes on
 * one database still count together.
 */

export type LimitName =
  | "signInByAccountAndIp"
  | "signInByAccount"
  | "signInByIp"
  | "passwordChange"
  | "apiKey"
  | "typing"
  | "upload"
  | "widgetSession"
  | "widgetMessage"
  | "widgetAddress";

/**
 * Points per window. Sign-in limits count failed attempts only. One client
 * address guessing at one account is stopped (signInByAccountAndIp); one address
 * trying many accounts is stopped (signInByIp); an account guessed at from many
 * addresses is never stopped, only slowed (signInByAccount counts, see
 * signInSlowdownMs), so nobody can lock its owner out by failing on purpose.
 */
export const limits: Record<LimitName, { points: number; durationSeconds: number }> = {
  signInByAccountAndIp: { points: 5, durationSeconds: 15 * 60 },
  signInByAccount: { points: 1_000_000, durationSeconds: 60 * 60 },
  signInByIp: { points: 50, durationSeconds: 60 * 60 },
  // Wrong current passwords on the account page, per user: someone holding a stolen session cannot guess
  // the password from there. Only a holder of the user's session can spend it, and it never stops a sign-in.
  passwordChange: { points: 5, durationSeconds: 15 * 60 },
  apiKey: { points: 600, durationSeconds: 60 },
  typing: { points: 1, durationSeconds: 4 },
  // Files per member or API key: a person attaches a handful at a time; a script looping on the endpoint is stopped.
  upload: { points: 30, durationSeconds: 60 },
  // The website widget's public API, which anyone on the internet may call. Visitors started per address: a
  // page load is one, a script minting visitors is stopped.
  widgetSession: { points: 60, durationSeconds: 60 },
  // Messages (and files, and away-form emails) per visitor: a person types a few a minute.
  widgetMessage: { points: 20, durationSeconds: 60 },
  // Everything a visitor sends, per address: an office behind one address has room, a flood does not.
  widgetAddress: { points: 120, durationSeconds: 60 },
};

/** While the shared store is unreachable, each process limits on its own rather than failing requests. */
const insurance = (limit: { points: number; durationSeconds: number }) =>
  new RateLimiterMemory({ points: limit.points, duration: limit.durationSeconds });

export type RateLimiters = Record<LimitName, RateLimiterAbstract> & { close: () => Promise<void> };

type Store = { redisUrl?: string; databaseUrl: string };
type LimiterFactory = { make: (name: string, limit: { points: number; durationSeconds: number }) => RateLimiterAbstract; close: () => Promise<void> };

/** Limiters sharing one store connection: Redis when configured, else PostgreSQL. */
function limiterFactory(store: Store): LimiterFactory {
  if (store.redisUrl) {
    const redis = new Redis(store.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    redis.on("error", () => undefined); // a failed call falls back to the insurance limiter
    // RateLimiterRedis counts whole seconds: a shorter window (Telegram's per-bot spacing) would be
    // rounded to 0, which Redis takes as "never expires", and stop that key for good. Those few
    // limits stay in PostgreSQL, which keeps milliseconds.
    let subSecond: LimiterFactory | undefined;
    return {
      make: (name, limit) =>
        Number.isInteger(limit.durationSeconds)
          ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `rl:${name}`, points: limit.points, duration: limit.durationSeconds, insuranceLimiter: insurance(limit) })
          : (subSecond ??= limiterFactory({ databaseUrl: store.databaseUrl })).make(name, limit),
      close: async () => {
        redis.disconnect();
        await subSecond?.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: store.databaseUrl, max: 3 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  return {
    make: (name, limit) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        tableName: "rate_limits",
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: `rl:${name}`,
        points: limit.points,
        duration: limit.durationSeconds,
        insuranceLimiter: insurance(limit),
      }),
    close: () => pool.end(),
  };
}

export function createRateLimiters(store: Store, overrides: Partial<typeof limits> = {}): RateLimiters {
  const config = { ...limits, ...overrides };
  const factory = limiterFactory(store);
  return {
    signInByAccountAndIp: factory.make("signInByAccountAndIp", config.signInByAccountAndIp),
    signInByAccount: factory.make("signInByAccount", config.signInByAccount),
    signInByIp: factory.make("signInByIp", config.signInByIp),
    passwordChange: factory.make("passwordChange", config.passwordChange),
    apiKey: factory.make("apiKey", config.apiKey),
    typing: factory.make("typing", config.typing),
    upload: factory.make("upload", config.upload),
    widgetSession: factory.make("widgetSession", config.widgetSession),
    widgetMessage: factory.make("widgetMessage", config.widgetMessage),
    widgetAddress: factory.make("widgetAddress", config.widgetAddress),
    close: factory.close,
  };
}

export type Limit = { points: number; durationSeconds: number };

/** Limiters by name over one store: the channels' sending limits (server/channels/core/send-limits.ts), counted across every worker. */
export function createNamedLimiters(store: Store, declared: Record<string, Limit>): { limiters: Record<string, RateLimiterAbstract>; close: () => Promise<void> } {
  const factory = limiterFactory(store);
  return { limiters: Object.fromEntries(Object.entries(declared).map(([name, limit]) => [name, factory.make(name, limit)])), close: factory.close };
}

export function tooManyRequests(res: RateLimiterRes, what: string): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError("TOO_MANY_REQUESTS", `${what}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

/** Consumes one point; over the limit it throws TOO_MANY_REQUESTS with the wait. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooManyRequests(error, what);
    throw error;
  }
}

const globalForLimits = globalThis as unknown as { supportChatLimiters?: RateLimiters };

export function getRateLimiters(): RateLimiters {
  globalForLimits.supportChatLimiters ??= createRateLimiters({
    redisUrl: process.env.REDIS_URL || undefined,
    databaseUrl: process.env.DATABASE_URL!,
  });
  return globalForLimits.supportChatLimiters;
}
