import { tenantForRequest } from "@/server/auth/tenant-for-request";
import type { AppDb, DbClient, SystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { fieldErrorsOf } from "@/server/api/trpc";
import { apiErrorResponse } from "@/server/http/api-error";
import { csvStream, exportQuerySchema, reportRows } from "./export-report";
import { AppError } from "@/server/errors";
import { reportViewer, viewerMay } from "./report-queries";

/**
 * GET /api/t/<slug>/reports/export?table=…&from=…&to=…[&groupBy=…][&channelId=…&teamId=…&agentId=…&label=…][&businessHours=true]:
 * a report as CSV, streamed (reports.export). Who may: as the reports API — members (an agent their
 * own figures) and API keys with the admin scope. A GET that changes nothing, so no origin check;
 * the answer is an attachment, never shown inline.
 */
export async function serveReportExport(request: Request, slug: string, deps: { appDb: AppDb; systemDb: SystemDb }): Promise<Response> {
  const access = await tenantForRequest(deps.systemDb, request.headers, slug, "admin");
  if ("status" in access) return access.status === 401 ? apiErrorResponse(request, "UNAUTHORIZED", "sign in or pass an API key") : apiErrorResponse(request, "NOT_FOUND", "no such workspace");
  const query = exportQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return apiErrorResponse(request, "BAD_REQUEST", "the report's parameters are not valid", { fieldErrors: fieldErrorsOf(query.error) });
  const { table, groupBy, filter } = query.data;
  const viewer = reportViewer(access.role, access.principal.kind === "user" ? access.principal.userId : undefined);
  try {
    viewerMay(viewer, filter);
  } catch (error) {
    if (error instanceof AppError) return apiErrorResponse(request, error.code, error.message);
    throw error;
  }
  const inTenant = <T>(run: (db: DbClient) => Promise<T>) => withTenant(deps.appDb, access.tenantId, (db) => run(db as DbClient));
  const rows = reportRows(inTenant, { tenantId: access.tenantId, filter, viewer, table, groupBy });
  const name = `report-${slug}-${table}-${filter.from}-${filter.to}.csv`;
  return new Response(csvStream(rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
