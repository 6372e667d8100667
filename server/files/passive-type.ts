import { fileTypeFromBuffer } from "file-type";

/**
 * How many leading bytes decide a file's type: file-type's own "reasonable
 * detection size", enough for every format on the allowlist below.
 */
export const SAMPLE_BYTES = 4100;

/**
 * The only kinds of file a browser is ever given to show, keyed by file-type's
 * extension: still and animated pictures, and audio and video players' formats.
 * None of them can carry script a browser runs. SVG, HTML, XML and PDF can, and
 * have no magic bytes anyway, so they fall out as unknown.
 */
const passive: Record<string, string> = {
  jpg: "image/jpeg",
  png: "image/png",
  // An animated PNG is still a PNG to every browser.
  apng: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  mp4: "video/mp4",
  webm: "video/webm",
  // Telegram's voice notes are Opus in OGG.
  opus: "audio/ogg",
  ogg: "audio/ogg",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
};

export type DetectedType = {
  /** What the bytes are, as far as file-type can tell (application/octet-stream when it cannot). */
  mimeType: string;
  /** Whether a browser may be given it to show (the allowlist); anything else is only ever downloaded. */
  inline: boolean;
};

/**
 * A file's type from its first bytes, never from what the sender or an upstream
 * server claims: an HTML page sent "as a photo" is unknown bytes here.
 */
export async function detectFileType(head: Uint8Array): Promise<DetectedType> {
  const found = await fileTypeFromBuffer(head.subarray(0, SAMPLE_BYTES)).catch(() => undefined);
  if (!found) return { mimeType: "application/octet-stream", inline: false };
  const shown = passive[found.ext];
  return shown ? { mimeType: shown, inline: true } : { mimeType: found.mime, inline: false };
}
