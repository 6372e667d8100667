import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { safeFileName } from "@/server/files/file-response";
import { detectFileType } from "@/server/files/passive-type";
import { getStorageUsage } from "./get-storage-usage";
import { lockStorage } from "./lock-storage";

/** Telegram takes photos up to 10 MB from bots; documents up to 50 MB. One limit keeps it simple. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

type StoreUploadResult =
  | { kind: "stored"; upload: { id: string; fileName: string; mimeType: string; size: number } }
  | { kind: "over-quota"; usedBytes: number; quotaBytes: number; size: number };

/**
 * Keeps a file an agent will attach to a reply, in the caller's tenant
 * transaction. Its type is read from its bytes, never taken from the sender: it
 * decides whether Telegram gets it as a photo and how it is served back. The
 * workspace's files may not pass its storage quota; the check and the insert
 * hold the workspace's storage lock, so uploads racing each other cannot both
 * fit into the last bit of room.
 */
export async function storeUpload(
  db: DbClient,
  input: { tenantId: string; fileName: string; bytes: Uint8Array; createdById?: string; /** A website visitor's file: only they may attach it. */ visitorKey?: string },
): Promise<StoreUploadResult> {
  const size = input.bytes.byteLength;
  if (size === 0) throw new AppError("BAD_REQUEST", "the file is empty", { fieldErrors: { file: ["the file is empty"] } });
  if (size > MAX_UPLOAD_BYTES) throw new AppError("BAD_REQUEST", `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  const type = await detectFileType(input.bytes);
  await lockStorage(db, input.tenantId);
  const { usedBytes, quotaBytes } = await getStorageUsage(db, { tenantId: input.tenantId });
  if (usedBytes + size > quotaBytes) return { kind: "over-quota", usedBytes, quotaBytes, size };
  const upload = await db.upload.create({
    data: {
      tenantId: input.tenantId,
      fileName: safeFileName(input.fileName || "file"),
      mimeType: type.mimeType,
      size,
      bytes: new Uint8Array(input.bytes),
      createdById: input.createdById,
      visitorKey: input.visitorKey,
    },
    select: { id: true, fileName: true, mimeType: true, size: true },
  });
  return { kind: "stored", upload };
}
