import { getSystemDb } from "@/server/db/client";
import { metrics, registerQueueMetrics } from "@/server/metrics/registry";

export const dynamic = "force-dynamic";

/** Prometheus text format. */
export async function GET() {
  registerQueueMetrics(getSystemDb());
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
