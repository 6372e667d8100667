import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/api-error";

/**
 * A refusal of the widget's public API, in the product's error envelope
 * (`{ error: { code, message, fieldErrors?, requestId } }`, lib/widget/protocol.ts
 * `WidgetError`). The codes are the widget's own and stable, so the bundle
 * branches on them; messages are written for the visitor who may see them.
 */
export class WidgetError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { fieldErrors?: Record<string, string[]>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "WidgetError";
  }
}

/** The refusal as an answer; `cors` carries the caller's origin only once it was found allowed. */
export function widgetErrorResponse(request: Request, error: WidgetError, cors: Record<string, string> = {}): Response {
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  return Response.json(
    { error: { code: error.code, message: error.message, ...(error.extra.fieldErrors ? { fieldErrors: error.extra.fieldErrors } : {}), requestId } },
    { status: error.status, headers: { "cache-control": "no-store", [REQUEST_ID_HEADER]: requestId, ...cors, ...error.extra.headers } },
  );
}
