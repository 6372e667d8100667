import { z } from "zod";
import { tenantForRequest } from "@/server/auth/tenant-for-request";
import type { AppDb, SystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { apiErrorResponse } from "@/server/http/api-error";
import type { Logger } from "@/server/logger";
import { channelApi, channelFileUrl, describeTelegramError } from "./bot-api";
import type { Attachment } from "./normalize-update";

/** Inbound attachments carry Telegram's file id; an agent's carry our upload id (and the file id once sent). */
type StoredAttachment = Omit<Attachment, "fileId"> & { fileId?: string; uploadId?: string };


/**
 * GET /api/t/<slug>/files/<messageId>/<index>: a message's attachment, streamed
 * from Telegram (getFile, then the download). The bot token is in Telegram's file
 * URL, so the browser only ever sees this route, which checks who is asking:
 * a member of the workspace (session cookie) or its API key with conversations:read.
 */
export async function proxyAttachment(
  request: Request,
  params: { slug: string; messageId: string; index: string },
  deps: { appDb: AppDb; systemDb: SystemDb; log: Logger },
): Promise<Response> {
  const access = await tenantForRequest(deps.systemDb, request.headers, params.slug, "conversations:read");
  const notFound = () => apiErrorResponse(request, "NOT_FOUND", "no such file");
  if ("status" in access) return access.status === 401 ? apiErrorResponse(request, "UNAUTHORIZED", "sign in or pass an API key") : notFound();
  const { tenantId } = access;
  const index = Number(params.index);
  if (!z.uuid().safeParse(params.messageId).success || !Number.isInteger(index) || index < 0) return notFound();

  const found = await withTenant(deps.appDb, tenantId, async (tx) => {
    const message = await tx.message.findUnique({ where: { id: params.messageId }, include: { conversation: { include: { channel: true } } } });
    const attachment = (message?.attachments as StoredAttachment[] | undefined)?.[index];
    if (!message || !attachment) return null;
    // A file an agent attached is served from our own copy.
    const upload = attachment.uploadId ? await tx.upload.findUnique({ where: { id: attachment.uploadId } }) : null;
    return { attachment, channel: message.conversation.channel, upload };
  });
  if (!found) return notFound();
  if (found.upload) {
    const { bytes, mimeType, size, fileName } = found.upload;
    return fileResponse(new Uint8Array(bytes), { type: mimeType, length: String(size), name: fileName, inline: found.attachment.kind !== "document" });
  }
  if (!found.attachment.fileId) return notFound();

  let file;
  try {
    file = await channelApi(found.channel, 15).getFile(found.attachment.fileId!);
  } catch (error) {
    deps.log.warn({ messageId: params.messageId, reason: describeTelegramError(error) }, "attachment not available");
    return apiErrorResponse(request, "BAD_GATEWAY", `the file is not available from Telegram (${describeTelegramError(error)})`);
  }
  if (!file.file_path) return apiErrorResponse(request, "BAD_GATEWAY", "Telegram gave no download for this file (over 20 MB?)");
  const upstream = await fetch(channelFileUrl(found.channel, file.file_path)).catch(() => null);
  if (!upstream?.ok || !upstream.body) return apiErrorResponse(request, "BAD_GATEWAY", "the file could not be downloaded from Telegram");
  return fileResponse(upstream.body, {
    type: found.attachment.mimeType ?? upstream.headers.get("content-type") ?? "application/octet-stream",
    length: upstream.headers.get("content-length"),
    name: found.attachment.fileName ?? file.file_path.split("/").pop() ?? "file",
    inline: found.attachment.kind !== "document",
  });
}

/** Documents download; photos, voice and the like show in the page. Never sniffed, cached only by the browser. */
function fileResponse(body: BodyInit, file: { type: string; length: string | null; name: string; inline: boolean }): Response {
  return new Response(body, {
    headers: {
      "content-type": file.type,
      ...(file.length ? { "content-length": file.length } : {}),
      "content-disposition": `${file.inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      "cache-control": "private, max-age=3600",
      "x-content-type-options": "nosniff",
    },
  });
}
