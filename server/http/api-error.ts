import { randomUUID } from "node:crypto";
import { appErrorCodes, type AppErrorCode } from "@/server/errors";

/**
 * One error envelope for every API answer that is not tRPC's (tRPC carries the
 * same code, message, field errors and request id in its `data`):
 * `{ "error": { "code", "message", "fieldErrors"?, "requestId" } }`, with the
 * request id echoed in `x-request-id`.
 */

export const REQUEST_ID_HEADER = "x-request-id";

/** What a client may send as its own request id; anything else is replaced by a new one. */
export const isRequestId = (value: string): boolean => /^[A-Za-z0-9._:-]{1,128}$/.test(value);

export function requestIdFrom(value: string | null | undefined): string {
  return value && isRequestId(value) ? value : randomUUID();
}

export type ApiErrorCode = AppErrorCode | "PAYLOAD_TOO_LARGE" | "LENGTH_REQUIRED" | "GONE" | "INTERNAL_SERVER_ERROR" | "BAD_GATEWAY";

const statusOf: Record<ApiErrorCode, number> = { ...appErrorCodes, PAYLOAD_TOO_LARGE: 413, LENGTH_REQUIRED: 411, GONE: 410, INTERNAL_SERVER_ERROR: 500, BAD_GATEWAY: 502 };

export function apiErrorResponse(
  request: Request,
  code: ApiErrorCode,
  message: string,
  extra: { fieldErrors?: Record<string, string[]>; headers?: Record<string, string> } = {},
): Response {
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  return Response.json(
    { error: { code, message, ...(extra.fieldErrors ? { fieldErrors: extra.fieldErrors } : {}), requestId } },
    { status: statusOf[code], headers: { "cache-control": "no-store", [REQUEST_ID_HEADER]: requestId, ...extra.headers } },
  );
}
