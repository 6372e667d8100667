import { loadVisitorFile } from "./load-visitor-file";
import type { WidgetCall } from "./widget-call";
import { WidgetError } from "./widget-error";

/**
 * `GET /api/widget/<publicId>/files/<messageId>/<index>` with the visitor's
 * bearer token: a file of the visitor's own thread, for a script that fetches
 * it. Pages embed files through the capability links of `VisitorAttachment.url`.
 */
export async function serveVisitorFile(call: WidgetCall, params: { messageId: string; index: string }): Promise<Response> {
  const visitor = await call.visitor();
  const index = /^\d{1,2}$/.test(params.index) ? Number(params.index) : -1;
  const response = await loadVisitorFile(call.deps.appPool, call.widget, { messageId: params.messageId, index, visitorId: visitor.visitorId });
  if (!response) throw new WidgetError(404, "FILE_NOT_FOUND", "no such file");
  return response;
}
