import { getDb } from "@/server/db/client";
import { unsubscribeByLink } from "@/server/services/notifications/unsubscribe-by-link";

export const dynamic = "force-dynamic";

const page = (request: Request, token: string, done: boolean) => {
  const url = new URL("/notifications/unsubscribe", request.url);
  url.searchParams.set("token", token);
  if (done) url.searchParams.set("done", "1");
  return url;
};

/**
 * An email's unsubscribe link (List-Unsubscribe). A mail client's one-click POST (RFC 8058:
 * `List-Unsubscribe=One-Click` in the body) is answered 200; the page's own form is sent back to
 * the page, done. The token is the whole authorization: it can only turn one type's email off.
 */
export async function POST(request: Request) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const result = await unsubscribeByLink(getDb(), { token, secret: process.env.APP_SECRET ?? "", apply: true });
  const form = await request.formData().catch(() => null);
  const oneClick = form?.get("List-Unsubscribe") === "One-Click";
  if (!result) return new Response("This unsubscribe link is not valid or has expired.\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  if (oneClick) return new Response("Unsubscribed.\n", { status: 200, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  return Response.redirect(page(request, token, true), 303);
}

/** A client that opens the link instead: the page, which asks before doing anything. */
export function GET(request: Request) {
  return Response.redirect(page(request, new URL(request.url).searchParams.get("token") ?? "", false), 303);
}
