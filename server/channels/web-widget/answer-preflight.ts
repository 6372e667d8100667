import { preflightHeaders } from "./cors";
import { findWidget } from "./find-widget";
import type { WidgetDeps } from "./widget-call";
import { WidgetError, widgetErrorResponse } from "./widget-error";

/**
 * OPTIONS for a widget route: the browser asks before a call with a bearer
 * token or a JSON body. Only an origin the channel allows is answered with
 * CORS headers; any other gets 403 without them, so its page never sends the call.
 */
export async function answerPreflight(request: Request, publicId: string, deps: Pick<WidgetDeps, "systemPool">, methods: readonly ("GET" | "POST")[]): Promise<Response> {
  const widget = await findWidget(deps.systemPool, { publicId });
  const origin = request.headers.get("origin");
  if (!widget || !origin || !widget.allowedOrigins.includes(origin)) {
    return widgetErrorResponse(request, new WidgetError(403, "ORIGIN_NOT_ALLOWED", "this chat is not set up for this website"));
  }
  return new Response(null, { status: 204, headers: preflightHeaders(origin, methods) });
}
