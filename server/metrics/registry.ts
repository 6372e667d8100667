import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

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

const globalForMetrics = globalThis as unknown as { supportChatMetrics?: ReturnType<typeof createMetrics> };

export function metrics() {
  globalForMetrics.supportChatMetrics ??= createMetrics();
  return globalForMetrics.supportChatMetrics;
}
