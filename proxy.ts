import { NextResponse, type NextRequest } from "next/server";
import { filesOrigin, processPublicUrl, realtimePublicUrl } from "@/lib/env";
import { pagePolicy } from "@/server/http/security-headers";
import { REQUEST_PATH_HEADER } from "@/server/http/request-path";

/**
 * Runs before every page: a fresh nonce and the page's Content-Security-Policy
 * (Next.js reads the nonce from the request's copy of the header and puts it on
 * its scripts), and the path and query that were asked for, so a page that
 * sends a signed-out visitor to sign in can bring them back to exactly there.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = pagePolicy(nonce, {
    publicUrl: processPublicUrl(),
    realtimeUrl: realtimePublicUrl(),
    filesOrigin: filesOrigin(),
  });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  headers.set("x-nonce", nonce);
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Pages only: API routes, Next's assets, files, the website widget's script and the installable app's files
  // (manifest, icons, service worker, offline page: next.config.ts) answer with their own policies.
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|files/|favicon.ico|widget.js|manifest.webmanifest|icons/|sw.js|offline.html|offline.css).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
