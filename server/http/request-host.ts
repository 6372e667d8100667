import { trustProxy } from "@/lib/env";

/**
 * The host a request was sent to, lower-cased: the proxy's X-Forwarded-Host only
 * when TRUST_PROXY says a proxy in front sets it (the web process also drops a
 * client's own copy otherwise, server/web/main.ts), else Host.
 */
export function requestHost(headers: Pick<Headers, "get">, trusted = trustProxy()): string | null {
  const forwarded = trusted ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return (forwarded || headers.get("host"))?.toLowerCase() ?? null;
}
