/**
 * Response headers that make the browser refuse what the product never does:
 * being framed, leaking full URLs to other sites, reaching devices it does not
 * use, or (with HTTPS) falling back to plain HTTP. The web process sets them on
 * every response (server/web/main.ts); pages get their nonce-based policy
 * from proxy.ts, files their sandbox (server/files/file-response.ts).
 */

import type { ServerResponse } from "node:http";

/** The policy of anything that is not a page (JSON, redirects, assets): it may run nothing and be framed by nobody. */
export const NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function baselineSecurityHeaders(publicUrl: string): Record<string, string> {
  return {
    "content-security-policy": NON_PAGE_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    // The microphone stays possible for this site's own pages (voice notes from the browser); nothing else is used.
    "permissions-policy": "camera=(), microphone=(self), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
    ...(publicUrl.startsWith("https://") ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/**
 * The service worker's policy (public/sw.js; a worker is governed by the policy
 * of its own script): it fetches pages and its offline files from this site, and nothing else.
 */
export const SERVICE_WORKER_POLICY = "default-src 'none'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The static offline page's (public/offline.html): its stylesheet and icon from this site, and no script at all. */
export const OFFLINE_PAGE_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Both schemes of an http(s) origin, for connect-src: Socket.IO talks WebSocket to the realtime server. */
function withWebSocket(origin: string): string[] {
  const url = new URL(origin);
  return [url.origin, `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}`];
}

/**
 * A page's policy: only scripts carrying this request's nonce run (Next.js puts
 * it on its own scripts, read from this header; `strict-dynamic` lets them load
 * their chunks), so a script that got into the page any other way does not.
 * Inline style attributes stay allowed (React renders `style=` for positions;
 * a style cannot run code), stylesheets and <style> need 'self' or the nonce.
 */
export function pagePolicy(nonce: string, options: { publicUrl: string; realtimeUrl: string; filesOrigin?: string | null }): string {
  const files = options.filesOrigin ? [options.filesOrigin] : [];
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'"],
    ["style-src", "'self'", `'nonce-${nonce}'`],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:", ...files],
    ["media-src", "'self'", "blob:", ...files],
    ["font-src", "'self'"],
    ["connect-src", "'self'", ...withWebSocket(options.realtimeUrl)],
    ["object-src", "'none'"],
    ["frame-src", "'none'"],
    ["worker-src", "'self'", "blob:"],
    ["manifest-src", "'self'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  if (options.publicUrl.startsWith("https://")) directives.push(["upgrade-insecure-requests"]);
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/**
 * Gives a response every header of `headers` it does not set itself, as its
 * headers go out. Set up front instead, they would win over a route's own:
 * Next.js keeps a header that is already present rather than the one a route
 * handler returns (a file's sandbox policy would be lost).
 */
export function fillSecurityHeaders(res: ServerResponse, headers: [string, string][]): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    for (const [name, value] of headers) if (!this.hasHeader(name)) this.setHeader(name, value);
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}
