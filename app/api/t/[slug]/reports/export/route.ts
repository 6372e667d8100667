import { getDb, getSystemDb } from "@/server/db/client";
import { serveReportExport } from "@/server/services/reports/serve-export";

export const dynamic = "force-dynamic";

/** GET /api/t/<slug>/reports/export: see serveReportExport. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  return serveReportExport(request, (await params).slug, { appDb: getDb(), systemDb: getSystemDb() });
}
