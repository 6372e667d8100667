import type { AppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { fileResponse } from "@/server/files/file-response";
import type { FileGrant } from "@/server/files/file-token";
import { detectFileType, SAMPLE_BYTES } from "@/server/files/passive-type";
import { peekStream } from "@/server/files/peek-stream";
import { apiErrorResponse } from "@/server/http/api-error";
import type { Logger } from "@/server/logger";
import { channelApi, channelFileUrl, describeTelegramError } from "./bot-api";
import { findAttachment } from "./find-attachment";

/**
 * One attachment's bytes, for whoever has already been let in (a member or key
 * on the app's route, a signed link on the files origin). An agent's file comes
 * from our own copy; a customer's is streamed from Telegram (getFile, then the
 * download, whose URL holds the bot token and so never reaches a browser): its
 * first few KB decide the type and the rest passes through, never held whole.
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
  if (!fileId) return apiErrorResponse(request, "NOT_FOUND", "no such file");

  let file;
  try {
    file = await channelApi(found.channel, 15).getFile(fileId);
  } catch (error) {
    deps.log.warn({ messageId: grant.messageId, reason: describeTelegramError(error) }, "attachment not available");
    return apiErrorResponse(request, "BAD_GATEWAY", `the file is not available from Telegram (${describeTelegramError(error)})`);
  }
  if (!file.file_path) return apiErrorResponse(request, "BAD_GATEWAY", "Telegram gave no download for this file (over 20 MB?)");
  const upstream = await fetch(channelFileUrl(found.channel, file.file_path), { signal: request.signal }).catch(() => null);
  const unavailable = async () => {
    // Whatever Telegram did send is let go at once rather than left open until it is collected.
    await upstream?.body?.cancel().catch(() => undefined);
    return apiErrorResponse(request, "BAD_GATEWAY", "the file could not be downloaded from Telegram");
  };
  if (!upstream?.ok || !upstream.body) return unavailable();
  let peeked;
  try {
    peeked = await peekStream(upstream.body, SAMPLE_BYTES);
  } catch {
    return unavailable();
  }
  return fileResponse(peeked.stream, {
    type: await detectFileType(peeked.head),
    name: found.attachment.fileName ?? file.file_path.split("/").pop() ?? "file",
    // fetch decodes a compressed answer, so its Content-Length would not be the length of what is sent on.
    length: upstream.headers.get("content-encoding") ? null : upstream.headers.get("content-length"),
    crossOrigin,
  });
}
