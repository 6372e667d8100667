import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { tenantForRequest } from "@/server/auth/tenant-for-request";
import type { AppDb, SystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { AppError } from "@/server/errors";
import { apiErrorResponse } from "@/server/http/api-error";
import { readMultipartFile } from "@/server/http/read-multipart-file";
import { CROSS_SITE_REFUSAL, isSameOriginRequest } from "@/server/http/same-origin";
import { consumeOrThrow } from "@/server/security/rate-limit";
import { MAX_UPLOAD_BYTES, storeUpload } from "@/server/services/uploads/store-upload";

/** Room for the multipart framing around a file of the largest size. */
const FRAMING_BYTES = 64 * 1024;

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString("en", { maximumFractionDigits: 1 })} MB`;

/**
 * POST /api/t/<slug>/uploads (multipart, one field "file"): keeps a file for a
 * reply and answers its id, to pass to messages.send as an attachment. Members
 * (from this site's own pages only: a cookie alone is no proof of intent) and
 * API keys with messages:write; each may upload so many files a minute; the
 * body is read as it streams and refused the moment the file passes 10 MB;
 * the workspace's files stay within its storage quota.
 */
export async function receiveUpload(request: Request, slug: string, deps: { appDb: AppDb; systemDb: SystemDb; limiter: RateLimiterAbstract }): Promise<Response> {
  const access = await tenantForRequest(deps.systemDb, request.headers, slug, "messages:write");
  if ("status" in access) return access.status === 401 ? apiErrorResponse(request, "UNAUTHORIZED", "sign in or pass an API key") : apiErrorResponse(request, "NOT_FOUND", "no such workspace");
  const { tenantId, principal } = access;
  // A bearer key is never sent by a browser on its own, so only the cookie needs the origin check (CSRF).
  if (principal.kind === "user" && !isSameOriginRequest(request.headers)) return apiErrorResponse(request, "FORBIDDEN", CROSS_SITE_REFUSAL);
  try {
    await consumeOrThrow(deps.limiter, principal.kind === "user" ? `member:${tenantId}:${principal.userId}` : `key:${principal.apiKeyId}`, "too many uploads");
  } catch (error) {
    if (error instanceof AppError && error.code === "TOO_MANY_REQUESTS") {
      return apiErrorResponse(request, "TOO_MANY_REQUESTS", error.message, { headers: { "retry-after": String(error.details?.retryAfterSeconds ?? 60) } });
    }
    throw error;
  }

  // The connection is left open rather than closed: measured here, with Connection: close a client
  // still sending got a reset and never this answer. Nothing reads the rest, so the socket takes no
  // more bytes, and it is dropped when it idles out.
  const tooLarge = () => apiErrorResponse(request, "PAYLOAD_TOO_LARGE", `the file is larger than ${megabytes(MAX_UPLOAD_BYTES)}`);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPLOAD_BYTES + FRAMING_BYTES) return tooLarge();
  const body = await readMultipartFile(request, { field: "file", maxBytes: MAX_UPLOAD_BYTES });
  if (body.kind === "too-large") return tooLarge();
  if (body.kind === "invalid") return apiErrorResponse(request, "BAD_REQUEST", body.reason, { fieldErrors: { file: [body.reason] } });

  try {
    const result = await withTenant(deps.appDb, tenantId, (tx) =>
      storeUpload(tx, { tenantId, fileName: body.file.name, bytes: body.file.bytes, createdById: principal.kind === "user" ? principal.userId : undefined }),
    );
    if (result.kind === "over-quota") {
      return apiErrorResponse(
        request,
        "PAYLOAD_TOO_LARGE",
        `this workspace's files take ${megabytes(result.usedBytes)} of its ${megabytes(result.quotaBytes)} storage quota, so this file (${megabytes(result.size)}) does not fit; ` +
          "an owner or admin can raise the quota in Settings → Data retention (or keep files for fewer days there)",
      );
    }
    return Response.json(result.upload, { status: 201 });
  } catch (error) {
    if (error instanceof AppError) return apiErrorResponse(request, error.code, error.message, { fieldErrors: error.details?.fieldErrors as Record<string, string[]> | undefined });
    throw error;
  }
}
