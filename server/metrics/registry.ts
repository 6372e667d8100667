import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { SystemDb } from "@/server/db/client";

/**
 * One Prometheus registry per process (kept on globalThis: Next.js bundles
 * routes separately and each bundle must count into the same series).
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhookUpdates: new Counter({
      name: "telegram_webhook_updates_total",
      help: "Telegram updates received, by result (ok, duplicate, ignored, unauthorized, parse_error, error)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    outboundSends: new Counter({
      name: "telegram_outbound_sends_total",
      help: "Messages sent to Telegram, by result (sent, retried, failed, blocked)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: "telegram_delivery_latency_seconds",
      help: "From an agent's send to Telegram's acceptance",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
  };
}

const globalForMetrics = globalThis as unknown as { supportChatMetrics?: ReturnType<typeof createMetrics>; supportChatQueueGauges?: boolean };

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
}

export function metrics() {
  globalForMetrics.supportChatMetrics ??= createMetrics();
  return globalForMetrics.supportChatMetrics;
}
