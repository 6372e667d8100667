import { serveAttachment } from "@/server/channels/core/serve-attachment";
import type { AppDb } from "@/server/db/client";
import { apiErrorResponse } from "@/server/http/api-error";
import { requestHost } from "@/server/http/request-host";
import type { Logger } from "@/server/logger";
import { verifyFileToken } from "./file-token";

/**
 * GET /files/<token> on the files origin (FILES_PUBLIC_URL): the one file a link
 * signed by the app's file route grants, with the same type rules and headers,
 * embeddable by the app's pages (CORP cross-origin; see fileResponse). The link
 * is the whole authority, as no cookie of the app reaches this origin. On any
 * other host, the app's own included, there is nothing here, so a file never
 * opens on the origin that holds the session. The token is never logged: the
 * access log and metrics name this route's kind only.
 */
export async function serveFileLink(
  request: Request,
  token: string,
  deps: { appDb: AppDb; log: Logger; files: { origin: string; secret: string } | null; trustProxy: boolean },
): Promise<Response> {
  const notFound = () => apiErrorResponse(request, "NOT_FOUND", "no such file");
  if (!deps.files || requestHost(request.headers, deps.trustProxy) !== new URL(deps.files.origin).host) return notFound();
  const grant = await verifyFileToken(token, deps.files.secret);
  if (grant === "invalid") return notFound();
  if (grant === "expired") return apiErrorResponse(request, "GONE", "this file link has expired; open the file from the conversation again");
  // The link was signed after the app's route let its holder in, note or not.
  return serveAttachment(request, grant, deps, { crossOrigin: true, includePrivate: true });
}
