import { tenantForRequest } from "@/server/auth/tenant-for-request";
import { getDb, getSystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { AppError } from "@/server/errors";
import { apiErrorResponse } from "@/server/http/api-error";
import { MAX_UPLOAD_BYTES, storeUpload } from "@/server/services/uploads/store-upload";

export const dynamic = "force-dynamic";

/**
 * POST /api/t/<slug>/uploads (multipart, field "file"): keeps a file for a reply;
 * pass the returned id to messages.send as an attachment.
 */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const access = await tenantForRequest(getSystemDb(), request.headers, slug, "messages:write");
  if ("status" in access) return access.status === 401 ? apiErrorResponse(request, "UNAUTHORIZED", "sign in or pass an API key") : apiErrorResponse(request, "NOT_FOUND", "no such workspace");
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPLOAD_BYTES + 64 * 1024) {
    return apiErrorResponse(request, "PAYLOAD_TOO_LARGE", `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  }
  const form = await request.formData().catch(() => null);
  const file = form?.get("file");
  if (!(file instanceof File)) return apiErrorResponse(request, "BAD_REQUEST", 'send the file as multipart form data in a field named "file"', { fieldErrors: { file: ["required"] } });
  try {
    const upload = await withTenant(getDb(), access.tenantId, (tx) =>
      storeUpload(tx, { tenantId: access.tenantId, file, createdById: access.principal.kind === "user" ? access.principal.userId : undefined }),
    );
    return Response.json(upload, { status: 201 });
  } catch (error) {
    if (error instanceof AppError) return apiErrorResponse(request, error.code, error.message);
    throw error;
  }
}
