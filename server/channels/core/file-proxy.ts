import { z } from "zod";
import { tenantForRequest } from "@/server/auth/tenant-for-request";
import type { AppDb, SystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { signFileToken } from "@/server/files/file-token";
import { apiErrorResponse } from "@/server/http/api-error";
import type { Logger } from "@/server/logger";
import { findAttachment } from "./find-attachment";
import { serveAttachment } from "./serve-attachment";

/**
 * GET /api/t/<slug>/files/<messageId>/<index>: a message's attachment, for a
 * member of the workspace (session cookie) or its API key with conversations:read.
 * With a files origin configured (FILES_PUBLIC_URL) the file is not served here
 * at all: the answer is a redirect to a link there that opens this one file for
 * a few minutes, so even a file that got past the type checks never runs on the
 * origin that holds the session.
 */
export async function proxyAttachment(
  request: Request,
  params: { slug: string; messageId: string; index: string },
  deps: { appDb: AppDb; systemDb: SystemDb; log: Logger; files?: { origin: string; secret: string } | null },
): Promise<Response> {
  const access = await tenantForRequest(deps.systemDb, request.headers, params.slug, "conversations:read");
  const notFound = () => apiErrorResponse(request, "NOT_FOUND", "no such file");
  if ("status" in access) return access.status === 401 ? apiErrorResponse(request, "UNAUTHORIZED", "sign in or pass an API key") : notFound();
  const index = Number(params.index);
  if (!z.uuid().safeParse(params.messageId).success || !/^\d{1,3}$/.test(params.index)) return notFound();
  const grant = { tenantId: access.tenantId, messageId: params.messageId, index };
  // A private note's file follows the notes: members, and keys with notes:read, as messages.list does.
  const includePrivate = access.principal.kind === "user" || access.principal.scopes.includes("notes:read");
  if (!deps.files) return serveAttachment(request, grant, deps, { includePrivate });

  if (!(await withTenant(deps.appDb, grant.tenantId, (tx) => findAttachment(tx, { ...grant, includePrivate })))) return notFound();
  const token = await signFileToken(grant, deps.files.secret);
  return new Response(null, {
    status: 302,
    headers: {
      location: `${deps.files.origin}/files/${token}`,
      // Reused while the link inside is still good (it lasts 5 minutes), so the files origin's copy is reused too.
      "cache-control": "private, max-age=240",
      "referrer-policy": "no-referrer",
    },
  });
}
