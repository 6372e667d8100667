import type { AppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { fileResponse } from "@/server/files/file-response";
import type { FileGrant } from "@/server/files/file-token";
import { detectFileType, SAMPLE_BYTES } from "@/server/files/passive-type";
import { peekStream } from "@/server/files/peek-stream";
import { apiErrorResponse } from "@/server/http/api-error";
import type { Logger } from "@/server/logger";
import { adapterFor } from "../registry";
import { findAttachment } from "./find-attachment";

/**
 * One attachment's bytes, for whoever has already been let in (a member or key
 * on the app's route, a signed link on the files origin). An agent's file comes
 * (or a widget visitor's) comes from our own copy; a customer's is streamed from
 * their channel (the adapter's openFile): its first few KB decide the type and
 * the rest passes through, never held whole.
 */
export async function serveAttachment(
  request: Request,
  grant: FileGrant,
  deps: { appDb: AppDb; log: Logger },
  options: { crossOrigin?: boolean; includePrivate: boolean },
): Promise<Response> {
  const found = await withTenant(deps.appDb, grant.tenantId, async (tx) => {
    const located = await findAttachment(tx, { ...grant, includePrivate: options.includePrivate });
    if (!located) return null;
    const { uploadId } = located.attachment;
    const upload = uploadId ? await tx.upload.findUnique({ where: { id: uploadId }, select: { bytes: true, size: true, fileName: true } }) : null;
    return { ...located, upload };
  });
  if (!found) return apiErrorResponse(request, "NOT_FOUND", "no such file");
  const crossOrigin = options.crossOrigin ?? false;

  if (found.upload) {
    const bytes = new Uint8Array(found.upload.bytes);
    // Detected again rather than read from the row: rows stored before uploads were detected hold the sender's claim.
    const type = await detectFileType(bytes);
    return fileResponse(bytes, { type, name: found.upload.fileName, length: bytes.byteLength, crossOrigin });
  }
  const { fileId } = found.attachment;
  const openFile = adapterFor(found.channel.type).openFile;
  if (!fileId || !openFile) return apiErrorResponse(request, "NOT_FOUND", "no such file");

  const file = await openFile({ appDb: deps.appDb, tenantId: grant.tenantId }, found.channel.id, fileId, request.signal).catch((error: unknown) => {
    deps.log.warn({ err: error, messageId: grant.messageId }, "attachment not available");
    return { ok: false as const, reason: "the file could not be downloaded from its channel" };
  });
  if (!file.ok) {
    deps.log.warn({ messageId: grant.messageId, reason: file.reason }, "attachment not available");
    return apiErrorResponse(request, "BAD_GATEWAY", file.reason);
  }
  let peeked;
  try {
    peeked = await peekStream(file.body, SAMPLE_BYTES);
  } catch {
    return apiErrorResponse(request, "BAD_GATEWAY", "the file could not be downloaded from its channel");
  }
  return fileResponse(peeked.stream, {
    type: await detectFileType(peeked.head),
    name: found.attachment.fileName ?? file.name ?? "file",
    length: file.length,
    crossOrigin,
  });
}
