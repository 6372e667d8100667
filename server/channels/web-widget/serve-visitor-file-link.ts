import { verifyFileToken } from "@/server/files/file-token";
import { findWidget } from "./find-widget";
import { loadVisitorFile } from "./load-visitor-file";
import type { WidgetDeps } from "./widget-call";
import { WidgetError, widgetErrorResponse } from "./widget-error";

/**
 * `GET /api/widget/<publicId>/files/<messageId>/<index>/<token>`: the link an
 * `<img>` or `<video>` on the visitor's page opens. It sends no Origin and no
 * token header, so the link itself is the authority: a 5-minute signature over
 * exactly this file of this workspace, made only after the visitor's own check
 * (see visitorFileUrl). The file must still be a non-private message of this channel.
 */
export async function serveVisitorFileLink(request: Request, params: { publicId: string; messageId: string; index: string; token: string }, deps: Pick<WidgetDeps, "systemPool" | "appPool" | "secret">): Promise<Response> {
  const notFound = () => widgetErrorResponse(request, new WidgetError(404, "FILE_NOT_FOUND", "no such file"));
  const widget = await findWidget(deps.systemPool, { publicId: params.publicId });
  if (!widget || widget.status === "disconnected") return notFound();
  const grant = await verifyFileToken(params.token, deps.secret);
  if (grant === "expired") return widgetErrorResponse(request, new WidgetError(410, "LINK_EXPIRED", "this file link has expired; open the chat again"));
  if (grant === "invalid" || grant.tenantId !== widget.tenantId || grant.messageId !== params.messageId || String(grant.index) !== params.index) return notFound();
  return (await loadVisitorFile(deps.appPool, widget, { messageId: grant.messageId, index: grant.index })) ?? notFound();
}
