import { getSystemDb } from "@/server/db/client";
import { apiErrorResponse } from "@/server/http/api-error";
import { metrics, metricsAllowed, registerQueueMetrics } from "@/server/metrics/registry";

export const dynamic = "force-dynamic";

/** Prometheus text format; with METRICS_TOKEN set, only for `Authorization: Bearer <token>`. */
export async function GET(request: Request) {
  if (!metricsAllowed(request.headers.get("authorization"))) {
    return apiErrorResponse(request, "UNAUTHORIZED", "send the metrics token as Authorization: Bearer <token>", { headers: { "www-authenticate": "Bearer" } });
  }
  registerQueueMetrics(getSystemDb());
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
