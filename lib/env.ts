import { z } from "zod";

/**
 * Every environment variable the processes read, validated once at start.
 * Each bad value becomes one line a person can act on (see `formatEnvIssues`).
 */

const port = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number between 1 and 65535")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, "must be a whole number between 1 and 65535")
    .default(fallback);

const url = (protocols: readonly string[], example: string) =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(" or ")}, like ${example}`);

const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);

export const envSchema = z
  .object({
    NODE_ENV: z.preprocess(emptyAsUnset, z.enum(["development", "production", "test"]).default("development")),
    APP_ENV: z.preprocess(emptyAsUnset, z.enum(["development", "staging", "production"], { message: "must be development, staging or production (or unset)" }).optional()),
    DATABASE_URL: z.preprocess(
      emptyAsUnset,
      url(["postgres:", "postgresql:"], "postgres://user:password@localhost:5432/supportchat").optional(),
    ),
    REDIS_URL: z.preprocess(emptyAsUnset, url(["redis:", "rediss:"], "redis://localhost:6379").optional()),
    PORT: z.preprocess(emptyAsUnset, port(3000)),
    REALTIME_PORT: z.preprocess(emptyAsUnset, port(3001)),
    WORKER_PORT: z.preprocess(emptyAsUnset, port(3002)),
    WORKER_HOST: z.preprocess(emptyAsUnset, z.ipv4({ message: "must be an IPv4 address, such as 127.0.0.1 or 0.0.0.0" }).default("127.0.0.1")),
    TELEGRAM_EMULATOR_PORT: z.preprocess(emptyAsUnset, port(3003)),
    // The sample shop page that embeds the demo workspace's widget (npm start, outside production).
    DEMO_SITE_PORT: z.preprocess(emptyAsUnset, port(3004)),
    PUBLIC_URL: z.preprocess(
      emptyAsUnset,
      url(["http:", "https:"], "https://support.example.com")
        .refine((value) => !value.endsWith("/"), "must not end with /")
        .optional(),
    ),
    REALTIME_PUBLIC_URL: z.preprocess(
      emptyAsUnset,
      url(["http:", "https:"], "https://realtime.support.example.com")
        .refine((value) => !value.endsWith("/"), "must not end with /")
        .optional(),
    ),
    // Just an origin: the files route lives at /files/ on it, and a path would not reach it.
    FILES_PUBLIC_URL: z.preprocess(
      emptyAsUnset,
      url(["http:", "https:"], "https://files.support-usercontent.example")
        .refine((value) => !value.endsWith("/"), "must not end with /")
        .refine((value) => !URL.canParse(value) || value.endsWith("/") || new URL(value).origin === value, "must be an origin only (scheme, host and port, no path), like https://files.support-usercontent.example")
        .optional(),
    ),
    TELEGRAM_API_ROOT: z.preprocess(
      emptyAsUnset,
      url(["http:", "https:"], "https://api.telegram.org")
        .refine((value) => !value.endsWith("/"), "must not end with /")
        .default("https://api.telegram.org"),
    ),
    TELEGRAM_MODE: z.preprocess(
      emptyAsUnset,
      z.enum(["webhook", "polling"], { message: "must be webhook or polling (or unset)" }).optional(),
    ),
    APP_SECRET: z.preprocess(
      emptyAsUnset,
      z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 48)").optional(),
    ),
    ENCRYPTION_KEY: z.preprocess(
      emptyAsUnset,
      z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hexadecimal characters, a 256-bit key (try: openssl rand -hex 32)")
        .optional(),
    ),
    SESSION_MAX_AGE_HOURS: z.preprocess(
      emptyAsUnset,
      z
        .string()
        .regex(/^\d+$/, "must be a whole number of hours between 1 and 720")
        .transform(Number)
        .refine((n) => n >= 1 && n <= 720, "must be a whole number of hours between 1 and 720")
        .default(12),
    ),
    TRUST_PROXY: z.preprocess(
      emptyAsUnset,
      z.enum(["true", "false"], { message: "must be true or false" }).default("false").transform((v) => v === "true"),
    ),
    SMTP_URL: z.preprocess(emptyAsUnset, url(["smtp:", "smtps:"], "smtps://user:password@mail.example.com:465").optional()),
    MAIL_FROM: z.preprocess(emptyAsUnset, z.string().trim().min(3).default("Support Chat <no-reply@localhost>")),
    // The app role's connections in each process (web, realtime, worker); the owner's pool and the job runner's come on top.
    DATABASE_POOL_SIZE: z.preprocess(
      emptyAsUnset,
      z.string().regex(/^\d+$/, "must be a whole number of connections").transform(Number).refine((n) => n >= 2 && n <= 200, "must be between 2 and 200").default(10),
    ),
    JOB_STALE_LOCK_SECONDS: z.preprocess(
      emptyAsUnset,
      z.string().regex(/^\d+$/, "must be a whole number of seconds").transform(Number).refine((n) => n >= 1, "must be at least 1").default(30),
    ),
    // Web push's VAPID key pair (base64url, as `npx web-push generate-vapid-keys` prints); generated into the data folder when unset outside production.
    VAPID_PUBLIC_KEY: z.preprocess(emptyAsUnset, z.string().regex(/^[A-Za-z0-9_-]{87}$/, "must be a base64url P-256 public key of 87 characters (try: npx web-push generate-vapid-keys)").optional()),
    VAPID_PRIVATE_KEY: z.preprocess(emptyAsUnset, z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a base64url P-256 private key of 43 characters (try: npx web-push generate-vapid-keys)").optional()),
    // Who push services contact about this server's pushes: a mailto: or https: URL.
    VAPID_SUBJECT: z.preprocess(emptyAsUnset, z.string().trim().regex(/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/, "must be a mailto: address or an https: URL, like mailto:ops@example.com").optional()),
    METRICS_TOKEN: z.preprocess(emptyAsUnset, z.string().min(16, "must be at least 16 characters").optional()),
    // Read by the OpenTelemetry SDK itself (with the other OTEL_* variables); checked here so a typo fails at start.
    OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUnset, url(["http:", "https:"], "http://otel-collector:4318").optional()),
    LOG_LEVEL: z.preprocess(
      emptyAsUnset,
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ),
    LOG_FORMAT: z.preprocess(emptyAsUnset, z.enum(["json", "pretty"]).optional()),
    DATA_DIR: z.preprocess(emptyAsUnset, z.string().optional()),
    EMBEDDED_POSTGRES_PORT: z.preprocess(emptyAsUnset, port(54329)),
  })
  .superRefine((env, ctx) => {
    // Cookies are per host, not per port: on the app's own host the files origin would get the session cookie.
    if (env.FILES_PUBLIC_URL && new URL(env.FILES_PUBLIC_URL).hostname === new URL(publicUrl(env)).hostname) {
      ctx.addIssue({ code: "custom", path: ["FILES_PUBLIC_URL"], message: "must be on another host than PUBLIC_URL (cookies are shared across ports), like https://files.support-usercontent.example" });
    }
    if (Boolean(env.VAPID_PUBLIC_KEY) !== Boolean(env.VAPID_PRIVATE_KEY)) {
      ctx.addIssue({ code: "custom", path: [env.VAPID_PUBLIC_KEY ? "VAPID_PRIVATE_KEY" : "VAPID_PUBLIC_KEY"], message: "must be set together with its pair (VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY)" });
    }
    if (env.NODE_ENV !== "production") return;
    for (const key of ["DATABASE_URL", "APP_SECRET", "ENCRYPTION_KEY"] as const) {
      if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when NODE_ENV=production" });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Raw variables as a process sees them (looser than Node's ProcessEnv, which Next.js narrows). */
export type EnvVars = Record<string, string | undefined>;

export type EnvResult = { ok: true; env: Env } | { ok: false; errors: string[] };

export function parseEnv(source: EnvVars): EnvResult {
  const result = envSchema.safeParse(source);
  if (result.success) return { ok: true, env: result.data };
  return { ok: false, errors: formatEnvIssues(result.error, source) };
}

function formatEnvIssues(error: z.ZodError, source: EnvVars): string[] {
  return error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "environment");
    const raw = source[key];
    // Never echo a secret or a URL that may carry a password back to the terminal.
    const shown = raw === undefined || /SECRET|KEY|URL|TOKEN/.test(key) ? "" : ` (got "${raw}")`;
    const message = issue.code === "invalid_value" && !issue.message.startsWith("must") ? `must be one of ${issue.values.join(", ")}` : issue.message;
    return `${key} ${message}${shown}`;
  });
}

/** Webhook when Telegram can reach us over HTTPS, polling otherwise. */
export function telegramMode(env: Pick<Env, "TELEGRAM_MODE" | "PUBLIC_URL">): "webhook" | "polling" {
  if (env.TELEGRAM_MODE) return env.TELEGRAM_MODE;
  return env.PUBLIC_URL?.startsWith("https://") ? "webhook" : "polling";
}

export function publicUrl(env: Pick<Env, "PUBLIC_URL" | "PORT">): string {
  return env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}

/** The same, read from a process's (already validated) environment. */
export function processPublicUrl(source: EnvVars = process.env): string {
  return publicUrl({ PUBLIC_URL: source.PUBLIC_URL || undefined, PORT: Number(source.PORT || 3000) });
}

/**
 * The separate origin that serves files (FILES_PUBLIC_URL), or null when the app's
 * own origin serves them; pages add it to their img-src and media-src.
 */
export function filesOrigin(source: EnvVars = process.env): string | null {
  return source.FILES_PUBLIC_URL ? new URL(source.FILES_PUBLIC_URL).origin : null;
}

/** Whether a proxy in front sets the X-Forwarded-* headers (TRUST_PROXY); otherwise a client could choose them. */
export function trustProxy(source: EnvVars = process.env): boolean {
  return source.TRUST_PROXY === "true";
}

/** Where browsers reach the realtime server: REALTIME_PUBLIC_URL, else PUBLIC_URL's host on REALTIME_PORT. */
export function realtimePublicUrl(source: EnvVars = process.env): string {
  if (source.REALTIME_PUBLIC_URL) return source.REALTIME_PUBLIC_URL;
  const base = new URL(processPublicUrl(source));
  base.port = String(Number(source.REALTIME_PORT || 3001));
  return base.origin;
}
