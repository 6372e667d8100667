import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { hashPassword } from "@/server/security/password";
import { createRateLimiters, type RateLimiters } from "@/server/security/rate-limit";
import { redisAvailable, testRedisUrl } from "@/server/test/redis";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { signIn, SLOWDOWN_AFTER_FAILURES } from "./sign-in";

let database: TestDatabase;
const password = "correct horse battery staple";

beforeAll(async () => {
  database = await createTestDatabase();
  const passwordHash = await hashPassword(password);
  await database.db.user.createMany({
    data: ["ann", "bob", "cid"].map((name) => ({ email: `${name}@example.com`, name, passwordHash })),
  });
});
afterAll(async () => {
  await database.drop();
});

/** The waits sign-in asked for (the slowdown), instead of sleeping through them. */
const waited: number[] = [];
const recordWait = async (ms: number) => void waited.push(ms);

async function attempt(limiters: RateLimiters, email: string, secret: string, ip = "198.51.100.1") {
  try {
    return await signIn(database.db, limiters, { email, password: secret, ip, requestId: "req-1" }, recordWait);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

function bruteForceSuite(name: string, makeLimiters: () => RateLimiters | Promise<RateLimiters>) {
  describe(`sign-in limits (${name})`, () => {
    let limiters: RateLimiters;
    beforeAll(async () => {
      limiters = await makeLimiters();
    });
    afterAll(async () => {
      await limiters.close();
    });

    it("stops one address after 5 failures at one account, even with the right password, and says when to retry", async () => {
      const ip = `198.51.100.${Math.floor(Math.random() * 200)}`;
      for (let i = 0; i < 5; i++) expect(await attempt(limiters, "ann@example.com", `guess-${i}`, ip)).toMatchObject({ code: "UNAUTHORIZED" });
      const blocked = await attempt(limiters, "ann@example.com", password, ip);
      expect(blocked).toMatchObject({ code: "TOO_MANY_REQUESTS" });
      expect((blocked as AppError).details?.retryAfterSeconds).toBeGreaterThan(800);
      expect((blocked as AppError).message).toMatch(/^too many failed sign-in attempts; try again in \d+ s$/);
      // Another account is not affected, and neither is this account from another address (its owner's).
      expect(await attempt(limiters, "bob@example.com", password, ip)).toMatchObject({ email: "bob@example.com" });
      expect(await attempt(limiters, "ann@example.com", password, "203.0.113.200")).toMatchObject({ email: "ann@example.com" });
    });

    it("an account guessed at from many addresses slows down, growing, but its owner is never locked out", async () => {
      const dee = `dee-${randomBytes(3).toString("hex")}@example.com`;
      await database.db.user.create({ data: { email: dee, name: "dee", passwordHash: await hashPassword(password) } });
      waited.length = 0;
      // Someone fails on purpose from 14 addresses, twice each (under every per-address limit).
      for (let i = 0; i < 14; i++) {
        for (let j = 0; j < 2; j++) expect(await attempt(limiters, dee, `guess-${i}-${j}`, `192.0.2.${100 + i}`)).toMatchObject({ code: "UNAUTHORIZED" });
      }
      // The first ten went at full speed; after that each waited longer, up to 8 s.
      expect(waited).toHaveLength(28 - SLOWDOWN_AFTER_FAILURES);
      expect(waited.slice(0, 5)).toEqual([500, 1000, 2000, 4000, 8000]);
      expect(new Set(waited.slice(4))).toEqual(new Set([8000]));
      // The owner, from their own address, with the right password: in, after the wait, and the count starts afresh.
      waited.length = 0;
      expect(await attempt(limiters, dee, password, "198.51.100.250")).toMatchObject({ email: dee });
      expect(waited).toEqual([8000]);
      waited.length = 0;
      expect(await attempt(limiters, dee, password, "198.51.100.250")).toMatchObject({ email: dee });
      expect(waited).toEqual([]);
    });

    it("counts attempts sent all at once one after another: twenty parallel guesses get five tries, not twenty", async () => {
      const ip = `198.51.100.${200 + Math.floor(Math.random() * 50)}`;
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(limiters, "bob@example.com", `parallel-${i}`, ip)));
      expect(answers.filter((answer) => answer instanceof AppError && answer.code === "UNAUTHORIZED")).toHaveLength(5);
      expect(answers.filter((answer) => answer instanceof AppError && answer.code === "TOO_MANY_REQUESTS")).toHaveLength(15);
    });

    it("a success resets the account's count", async () => {
      for (let i = 0; i < 4; i++) await attempt(limiters, "cid@example.com", "wrong");
      expect(await attempt(limiters, "cid@example.com", password)).toMatchObject({ email: "cid@example.com" });
      for (let i = 0; i < 4; i++) await attempt(limiters, "cid@example.com", "wrong");
      expect(await attempt(limiters, "cid@example.com", password)).toMatchObject({ email: "cid@example.com" });
    });
  });
}

const uniqueSuffix = randomBytes(4).toString("hex");
bruteForceSuite("PostgreSQL store", () => createRateLimiters({ databaseUrl: database.url }));

// Redis is the subject here, so this needs a real one.
const redisUrl = testRedisUrl;
const redisReachable = await redisAvailable();

describe.runIf(redisReachable)("with REDIS_URL", () => {
  bruteForceSuite("Redis store", async () => {
    // A fresh key space per run: the counters live in the shared Redis.
    const redis = new Redis(redisUrl);
    const keys = await redis.keys("rl:signIn*");
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    return createRateLimiters({ redisUrl, databaseUrl: database.url });
  });

  it("keeps the counters in Redis, not in PostgreSQL", async () => {
    const limiters = createRateLimiters({ redisUrl, databaseUrl: database.url });
    const email = `nobody-${uniqueSuffix}@example.com`;
    await attempt(limiters, email, "x");
    const redis = new Redis(redisUrl);
    expect(await redis.get(`rl:signInByAccount:${email}`)).toBe("1");
    expect(await redis.get(`rl:signInByAccountAndIp:${email}|198.51.100.1`)).toBe("1");
    redis.disconnect();
    expect(await database.db.rateLimit.count({ where: { key: { contains: email } } })).toBe(0);
    await limiters.close();
  });
});

describe("sign-in", () => {
  it("answers the same for an unknown address and a wrong password, and audits the failure with the address and IP", async () => {
    const limiters = createRateLimiters({ databaseUrl: database.url });
    try {
      const unknown = await attempt(limiters, "nobody@example.com", "whatever", "192.0.2.9");
      const wrong = await attempt(limiters, "bob@example.com", "whatever", "192.0.2.9");
      expect(unknown).toMatchObject({ code: "UNAUTHORIZED", message: "wrong email or password" });
      expect(wrong).toMatchObject({ code: "UNAUTHORIZED", message: "wrong email or password" });
      const entries = await database.db.auditLog.findMany({ where: { action: "auth.sign_in_failed", ip: "192.0.2.9" } });
      expect(entries).toHaveLength(2);
      expect(entries.map((entry) => (entry.metadata as { email: string }).email).sort()).toEqual(["bob@example.com", "nobody@example.com"]);
      expect(entries.every((entry) => entry.tenantId === null && entry.requestId === "req-1")).toBe(true);
      expect(JSON.stringify(entries)).not.toContain("whatever");
    } finally {
      await limiters.close();
    }
  });

  it("limits one address trying many accounts", async () => {
    const limiters = createRateLimiters({ databaseUrl: database.url }, { signInByIp: { points: 3, durationSeconds: 3600 } });
    try {
      for (let i = 0; i < 3; i++) await attempt(limiters, `spray-${i}@example.com`, "x", "192.0.2.77");
      expect(await attempt(limiters, "ann-other@example.com", "x", "192.0.2.77")).toMatchObject({ code: "TOO_MANY_REQUESTS" });
      expect(await attempt(limiters, "bob@example.com", password, "192.0.2.78")).toMatchObject({ email: "bob@example.com" });
    } finally {
      await limiters.close();
    }
  });
});
