/**
 * The client's address as the web process recorded it (server/web/main.ts sets
 * x-forwarded-for from the socket unless TRUST_PROXY says a proxy in front sets it).
 */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
