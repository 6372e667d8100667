import { timingSafeEqual } from "node:crypto";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SystemDb } from "@/server/db/client";

/**
 * One Prometheus registry per process (kept on globalThis: Next.js bundles
 * routes separately and each bundle must count into the same series).
 */
/** Buckets for request-like durations, from a cached read to a slow page. */
const requestBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhookUpdates: new Counter({
      name: "telegram_webhook_updates_total",
      help: "Telegram updates received, by result (ok, duplicate, ignored, unauthorized; parse_error: not readable, quarantined; quarantined: not storable, quarantined; error: the database failed, taken again later)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    outboundSends: new Counter({
      name: "channel_outbound_sends_total",
      help: "Replies sent through a channel, by channel kind and result (sent, retried, failed, blocked)",
      labelNames: ["channel", "result"] as const,
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: "channel_delivery_latency_seconds",
      help: "From an agent's send to the channel's acceptance, by channel kind",
      labelNames: ["channel"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP requests of the web process, by route kind, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: requestBuckets,
      registers: [registry],
    }),
    trpcDuration: new Histogram({
      name: "trpc_procedure_duration_seconds",
      help: "tRPC procedures, by procedure, type and result (ok or the error code)",
      labelNames: ["procedure", "type", "result"] as const,
      buckets: requestBuckets,
      registers: [registry],
    }),
    realtimeSockets: new Gauge({
      name: "realtime_connected_sockets",
      help: "Sockets connected to this realtime node",
      registers: [registry],
    }),
    realtimeFanout: new Histogram({
      name: "realtime_event_fanout_seconds",
      help: "From an event's commit to its emit by this realtime node",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

/** The requests of the web process grouped by what they are, so the label never holds an id. */
export function routeOf(url: string | undefined): string {
  const path = (url ?? "/").split("?")[0]!;
  if (path.startsWith("/api/trpc/")) return "trpc";
  if (/^\/api\/telegram\/[^/]+\/webhook$/.test(path)) return "telegram_webhook";
  if (path.startsWith("/api/health")) return "health";
  if (path === "/api/metrics") return "metrics";
  if (path.startsWith("/api/auth/")) return "auth";
  if (path.startsWith("/api/public/")) return "public_strings";
  if (path.startsWith("/api/")) return "api_other";
  if (path.startsWith("/_next/")) return "static";
  // The files origin's links carry a capability in the path: the kind only, never the path.
  if (path.startsWith("/files/")) return "files";
  return "page";
}

/** Connection pool use (in use, idle, waiting) of a node-postgres pool, read when scraped. */
export function registerPoolMetrics(pool: { totalCount: number; idleCount: number; waitingCount: number }, name: string): void {
  const { registry } = metrics();
  const existing = registry.getSingleMetric("db_pool_connections") as Gauge<"pool" | "state"> | undefined;
  const pools = (globalForMetrics.supportChatPools ??= new Map());
  pools.set(name, pool);
  if (existing) return;
  new Gauge({
    name: "db_pool_connections",
    help: "Database pool connections by pool and state (in_use, idle, waiting)",
    labelNames: ["pool", "state"] as const,
    registers: [registry],
    collect() {
      for (const [poolName, current] of pools) {
        this.set({ pool: poolName, state: "in_use" }, current.totalCount - current.idleCount);
        this.set({ pool: poolName, state: "idle" }, current.idleCount);
        this.set({ pool: poolName, state: "waiting" }, current.waitingCount);
      }
    },
  });
}

/**
 * Whether a scrape may read the metrics: always when METRICS_TOKEN is unset,
 * else only with `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time).
 */
export function metricsAllowed(authorization: string | null | undefined, token = process.env.METRICS_TOKEN): boolean {
  if (!token) return true;
  const given = Buffer.from(authorization?.replace(/^Bearer\s+/i, "") ?? "");
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

const globalForMetrics = globalThis as unknown as {
  supportChatMetrics?: ReturnType<typeof createMetrics>;
  supportChatQueueGauges?: boolean;
  supportChatPools?: Map<string, { totalCount: number; idleCount: number; waitingCount: number }>;
};

/**
 * Job queue depth and age, read from the database when scraped (any process
 * sees the whole queue, so one scrape target is enough).
 */
export function registerQueueMetrics(db: SystemDb): void {
  if (globalForMetrics.supportChatQueueGauges) return;
  globalForMetrics.supportChatQueueGauges = true;
  const { registry } = metrics();
  const read = async () => {
    const [row] = await db.$queryRaw<{ ready: bigint; oldest: number | null }[]>`
      SELECT count(*) AS ready, extract(epoch FROM now() - min(run_at))::float8 AS oldest
      FROM graphile_worker._private_jobs WHERE locked_at IS NULL AND run_at <= now()`;
    return { ready: Number(row?.ready ?? 0), oldest: row?.oldest ?? 0 };
  };
  new Gauge({
    name: "job_queue_ready_jobs",
    help: "Jobs waiting to run now (outbound deliveries)",
    registers: [registry],
    async collect() {
      this.set((await read()).ready);
    },
  });
  new Gauge({
    name: "job_queue_oldest_ready_seconds",
    help: "How long the oldest ready job has waited (queue lag)",
    registers: [registry],
    async collect() {
      this.set((await read()).oldest);
    },
  });
  new Gauge({
    name: "telegram_quarantined_updates",
    help: "Telegram updates waiting in quarantine for an admin to retry or discard (all workspaces)",
    registers: [registry],
    async collect() {
      const [row] = await db.$queryRaw<{ waiting: bigint }[]>`SELECT count(*) AS waiting FROM "QuarantinedUpdate" WHERE status = 'pending'`;
      this.set(Number(row?.waiting ?? 0));
    },
  });
}

export function metrics() {
  globalForMetrics.supportChatMetrics ??= createMetrics();
  return globalForMetrics.supportChatMetrics;
}
