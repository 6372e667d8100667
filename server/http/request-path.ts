import { safeRedirectPath } from "@/lib/safe-redirect";

/** Set by proxy.ts on every page request: the path and query the visitor asked for. */
export const REQUEST_PATH_HEADER = "x-request-path";

/** Where a page request wanted to go, as a safe same-site path (or `fallback`). */
export function requestedPath(headers: Headers, fallback: string): string {
  return safeRedirectPath(headers.get(REQUEST_PATH_HEADER), fallback);
}
