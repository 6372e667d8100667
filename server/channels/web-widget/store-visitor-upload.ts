import { widgetLimits, type UploadAnswer } from "@/lib/widget/protocol";
import { withTenant } from "@/server/db/tenant-scope";
import { readMultipartFile } from "@/server/http/read-multipart-file";
import { storeUpload } from "@/server/services/uploads/store-upload";
import { requireMayWrite } from "./require-may-write";
import type { WidgetCall } from "./widget-call";
import { WidgetError } from "./widget-error";

/** Room for the multipart framing around a file of the largest size. */
const FRAMING_BYTES = 64 * 1024;

/**
 * `POST /api/widget/<publicId>/uploads` (multipart, one part `file`): a file
 * the visitor will attach to a message, through the same service as the
 * team's uploads — read as it streams and refused the moment it passes the
 * limit, its type read from its bytes, the workspace's storage quota kept —
 * and marked as this visitor's, so only they can attach it.
 */
export async function storeVisitorUpload(call: WidgetCall): Promise<{ status: number; body: UploadAnswer }> {
  const { widget, deps, request } = call;
  const visitor = await call.visitor();
  requireMayWrite(call, visitor);
  await call.limit(deps.limiters.widgetAddress, `ip:${call.ip}`);
  await call.limit(deps.limiters.upload, `visitor:${widget.channelId}:${visitor.visitorId}`);
  const tooLarge = () => new WidgetError(413, "FILE_TOO_LARGE", `a file can be at most ${widgetLimits.fileBytes / 1024 / 1024} MB`);
  if (Number(request.headers.get("content-length") ?? 0) > widgetLimits.fileBytes + FRAMING_BYTES) throw tooLarge();
  const body = await readMultipartFile(request, { field: "file", maxBytes: widgetLimits.fileBytes });
  if (body.kind === "too-large") throw tooLarge();
  if (body.kind === "invalid") throw new WidgetError(400, "BAD_REQUEST", body.reason, { fieldErrors: { file: [body.reason] } });
  const result = await withTenant(deps.appDb, widget.tenantId, (tx) =>
    storeUpload(tx, { tenantId: widget.tenantId, fileName: body.file.name, bytes: body.file.bytes, visitorKey: `${widget.channelId}:${visitor.visitorId}` }),
  );
  // The workspace's usage is the team's business, not the visitor's.
  if (result.kind === "over-quota") throw new WidgetError(413, "STORAGE_FULL", "this chat cannot take files right now; send the message without it");
  const { id, fileName, mimeType, size } = result.upload;
  return { status: 201, body: { uploadId: id, fileName, mimeType, size } };
}
