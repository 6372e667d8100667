import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from "@/lib/client-header";
import { processPublicUrl } from "@/lib/env";
import { requestHost } from "./request-host";

/** What a refused cross-site change is told. */
export const CROSS_SITE_REFUSAL = "a signed-in change must come from this site's own pages (its Origin header did not match)";

/**
 * Whether a cookie-authenticated request comes from this product's own pages:
 * its Origin is the public address or the host it was sent to (a browser always
 * sends Origin with a POST, and a page on another site cannot choose it), or —
 * for a client that sends no Origin — it carries the client's own header, which
 * no other site can add without a CORS preflight this server never grants.
 * Cross-site forms and scripts (CSRF) are refused either way.
 */
export function isSameOriginRequest(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return headers.get(CLIENT_HEADER) === CLIENT_HEADER_VALUE;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  if (origin === new URL(processPublicUrl()).origin) return true;
  return requestHost(headers) === host.toLowerCase();
}
