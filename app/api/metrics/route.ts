import { getSystemDb } from "@/server/db/client";
import { metrics, metricsAllowed, registerQueueMetrics } from "@/server/metrics/registry";

export const dynamic = "force-dynamic";

/** Prometheus text format; with METRICS_TOKEN set, only for `Authorization: Bearer <token>`. */
export async function GET(request: Request) {
  if (!metricsAllowed(request.headers.get("authorization"))) {
    return Response.json({ error: { code: "UNAUTHORIZED", message: "send the metrics token as Authorization: Bearer <token>" } }, { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  registerQueueMetrics(getSystemDb());
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
