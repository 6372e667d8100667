import { metrics } from "@/server/metrics/registry";

export const dynamic = "force-dynamic";

/** Prometheus text format. */
export async function GET() {
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
