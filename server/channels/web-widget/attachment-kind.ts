import type { AttachmentKind } from "@/lib/messages/content";

/**
 * How a visitor's file is shown, from the type its bytes were found to be
 * (server/files/passive-type.ts), never from its name or the browser's claim:
 * only real pictures, videos and sound play inline; everything else, an HTML
 * page called photo.jpg included, is a document to download.
 */
export function attachmentKindOf(mimeType: string): AttachmentKind {
  if (/^image\/(jpeg|png|webp|gif)$/.test(mimeType)) return "photo";
  if (/^video\/(mp4|webm)$/.test(mimeType)) return "video";
  if (/^audio\/(ogg|mpeg|mp4)$/.test(mimeType)) return "audio";
  return "document";
}
