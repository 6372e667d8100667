import { createHash } from "node:crypto";
import type { AppDb, SystemDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { apiErrorResponse } from "@/server/http/api-error";
import { publicStrings } from "./public-strings";

/** Public, so any site may embed them (the web chat widget); nothing here depends on who asks. */
const shared = { "access-control-allow-origin": "*", "x-content-type-options": "nosniff" };

/** If-None-Match against our ETag, compared weakly as RFC 9110 asks for GET: `W/"x"` matches `"x"`, `*` matches anything. */
function notModified(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}

/**
 * GET /api/public/<slug>/i18n/<locale>: a workspace's public strings, without
 * a session. Cacheable by browsers and CDNs for a minute (`public, max-age=60`,
 * so a published change shows within a minute) and revalidated with a strong
 * ETag, the hash of the body: an unchanged set answers 304 with no body.
 */
export async function servePublicStrings(request: Request, params: { slug: string; locale: string }, deps: { appDb: AppDb; systemDb: SystemDb }): Promise<Response> {
  let strings;
  try {
    strings = await publicStrings(deps, params);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return apiErrorResponse(request, error.code, error.message, { headers: shared });
  }
  const body = JSON.stringify(strings);
  const etag = `"${createHash("sha256").update(body).digest("base64url")}"`;
  const headers = { ...shared, etag, "cache-control": "public, max-age=60" };
  if (notModified(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
}
