import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";

/** Telegram takes photos up to 10 MB from bots; documents up to 50 MB. One limit keeps it simple. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export async function storeUpload(db: DbClient, input: { tenantId: string; file: File; createdById?: string }) {
  if (input.file.size === 0) throw new AppError("BAD_REQUEST", "the file is empty");
  if (input.file.size > MAX_UPLOAD_BYTES) throw new AppError("BAD_REQUEST", `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  const fileName = (input.file.name || "file").replace(/[\\/\u0000-\u001f]/g, "_").slice(0, 200);
  const upload = await db.upload.create({
    data: {
      tenantId: input.tenantId,
      fileName,
      mimeType: input.file.type || "application/octet-stream",
      size: input.file.size,
      bytes: new Uint8Array(await input.file.arrayBuffer()),
      createdById: input.createdById,
    },
    select: { id: true, fileName: true, mimeType: true, size: true },
  });
  return upload;
}
