import { describe, expect, it } from "vitest";
import { filesOrigin, parseEnv, publicUrl, telegramMode } from "./env";

function errorsFor(source: Record<string, string>): string[] {
  const result = parseEnv(source);
  if (result.ok) throw new Error("expected the environment to be rejected");
  return result.errors;
}

describe("environment validation", () => {
  it("accepts an empty environment and fills in the single-machine defaults", () => {
    const result = parseEnv({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      REALTIME_PORT: 3001,
      WORKER_PORT: 3002,
      WORKER_HOST: "127.0.0.1",
      TELEGRAM_API_ROOT: "https://api.telegram.org",
      LOG_LEVEL: "info",
      EMBEDDED_POSTGRES_PORT: 54329,
      DATABASE_POOL_SIZE: 10,
    });
    expect(result.env.DATABASE_URL).toBeUndefined();
  });

  it("treats an empty value as unset", () => {
    const result = parseEnv({ DATABASE_URL: "", PORT: "" });
    expect(result.ok && result.env.PORT).toBe(3000);
    expect(result.ok && result.env.DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: "abc" }, 'PORT must be a whole number between 1 and 65535 (got "abc")'],
    [{ PORT: "70000" }, 'PORT must be a whole number between 1 and 65535 (got "70000")'],
    [{ REALTIME_PORT: "0" }, 'REALTIME_PORT must be a whole number between 1 and 65535 (got "0")'],
    [{ TELEGRAM_MODE: "push" }, 'TELEGRAM_MODE must be webhook or polling (or unset) (got "push")'],
    [{ LOG_LEVEL: "loud" }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ NODE_ENV: "prod" }, 'NODE_ENV must be one of development, production, test (got "prod")'],
    [{ WORKER_HOST: "everywhere" }, 'WORKER_HOST must be an IPv4 address, such as 127.0.0.1 or 0.0.0.0 (got "everywhere")'],
    [{ METRICS_TOKEN: "short" }, "METRICS_TOKEN must be at least 16 characters"],
    [{ DATABASE_POOL_SIZE: "1" }, 'DATABASE_POOL_SIZE must be between 2 and 200 (got "1")'],
    [{ DATABASE_POOL_SIZE: "ten" }, 'DATABASE_POOL_SIZE must be a whole number of connections (got "ten")'],
  ])("rejects %j with one line naming the variable and the rule", (source, message) => {
    expect(errorsFor(source)).toEqual([message]);
  });

  it("rejects a database URL that is not a postgres URL, without echoing it (it may hold a password)", () => {
    const errors = errorsFor({ DATABASE_URL: "mysql://root:hunter2@db/app" });
    expect(errors).toEqual([
      "DATABASE_URL must be a URL starting with postgres:// or postgresql://, like postgres://user:password@localhost:5432/supportchat",
    ]);
    expect(errors.join()).not.toContain("hunter2");
  });

  it("rejects URLs with a trailing slash and secrets that are too short", () => {
    expect(errorsFor({ PUBLIC_URL: "https://support.example.com/" })).toEqual(["PUBLIC_URL must not end with /"]);
    expect(errorsFor({ TELEGRAM_API_ROOT: "ftp://x" })[0]).toMatch(/^TELEGRAM_API_ROOT must be a URL starting with http:\/\/ or https:\/\//);
    expect(errorsFor({ APP_SECRET: "short" })).toEqual([
      "APP_SECRET must be at least 32 characters (try: openssl rand -base64 48)",
    ]);
    expect(errorsFor({ ENCRYPTION_KEY: "xyz" })[0]).toMatch(/^ENCRYPTION_KEY must be 64 hexadecimal characters/);
    expect(errorsFor({ REDIS_URL: "http://localhost:6379" })[0]).toMatch(/^REDIS_URL must be a URL starting with redis:\/\//);
    expect(errorsFor({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })[0]).toMatch(/^OTEL_EXPORTER_OTLP_ENDPOINT must be a URL starting with http:\/\/ or https:\/\//);
  });

  it("reports every bad value at once, one line each", () => {
    expect(errorsFor({ PORT: "x", WORKER_PORT: "y", LOG_LEVEL: "z" })).toHaveLength(3);
  });

  it("requires the database and both secrets in production", () => {
    expect(errorsFor({ NODE_ENV: "production" })).toEqual([
      "DATABASE_URL is required when NODE_ENV=production",
      "APP_SECRET is required when NODE_ENV=production",
      "ENCRYPTION_KEY is required when NODE_ENV=production",
    ]);
  });

  it("derives the Telegram mode from PUBLIC_URL unless it is set", () => {
    expect(telegramMode({ PUBLIC_URL: "https://support.example.com" })).toBe("webhook");
    expect(telegramMode({ PUBLIC_URL: "http://localhost:3000" })).toBe("polling");
    expect(telegramMode({ PUBLIC_URL: undefined })).toBe("polling");
    expect(telegramMode({ PUBLIC_URL: "https://support.example.com", TELEGRAM_MODE: "polling" })).toBe("polling");
  });

  it("takes a files origin on another host than the app, and names it for the page's policy", () => {
    const result = parseEnv({ PUBLIC_URL: "https://support.example.com", FILES_PUBLIC_URL: "https://files.support-usercontent.example" });
    expect(result.ok && result.env.FILES_PUBLIC_URL).toBe("https://files.support-usercontent.example");
    expect(filesOrigin({ FILES_PUBLIC_URL: "https://files.support-usercontent.example" })).toBe("https://files.support-usercontent.example");
    expect(filesOrigin({})).toBeNull();
  });

  it.each([
    [{ FILES_PUBLIC_URL: "https://files.example.com/" }, "FILES_PUBLIC_URL must not end with /"],
    [{ FILES_PUBLIC_URL: "ftp://files.example.com" }, "FILES_PUBLIC_URL must be a URL starting with http:// or https://, like https://files.support-usercontent.example"],
    [{ FILES_PUBLIC_URL: "https://files.example.com/base" }, "FILES_PUBLIC_URL must be an origin only (scheme, host and port, no path), like https://files.support-usercontent.example"],
    [
      { PUBLIC_URL: "https://support.example.com", FILES_PUBLIC_URL: "https://support.example.com:8443" },
      "FILES_PUBLIC_URL must be on another host than PUBLIC_URL (cookies are shared across ports), like https://files.support-usercontent.example",
    ],
    [{ FILES_PUBLIC_URL: "http://localhost:3005" }, "FILES_PUBLIC_URL must be on another host than PUBLIC_URL (cookies are shared across ports), like https://files.support-usercontent.example"],
  ])("refuses the files origin %j", (source, message) => {
    expect(errorsFor(source)).toEqual([message]);
  });

  it("defaults the public URL to the local web port", () => {
    expect(publicUrl({ PORT: 4000, PUBLIC_URL: undefined })).toBe("http://localhost:4000");
  });
});
