import type { DetectedType } from "./passive-type";

/**
 * The answer for any stored or proxied file, customer's or agent's. The type is
 * the one read from the bytes: a passive type is shown, anything else downloads
 * as opaque bytes. Whatever the browser does with it, the file is a sandboxed
 * document that may load nothing (so an HTML or SVG that slipped through still
 * runs no script and reaches no cookie), is never sniffed into something else,
 * is not cached by shared caches, and sends no Referer on.
 *
 * `crossOrigin` is for the separate files origin (FILES_PUBLIC_URL) only: the
 * app's pages, on another origin, embed its images and players, which
 * Cross-Origin-Resource-Policy: same-origin would block. That is safe there
 * because that origin holds no cookies of the app and each URL is itself a
 * short-lived capability for one file; on the app's own origin files stay
 * same-origin, so no other site can embed them with the agent's cookies.
 */
export function fileResponse(
  body: BodyInit,
  file: { type: DetectedType; name: string; length?: string | number | null; crossOrigin?: boolean },
): Response {
  const inline = file.type.inline;
  return new Response(body, {
    headers: {
      "content-type": inline ? file.type.mimeType : "application/octet-stream",
      ...(file.length != null ? { "content-length": String(file.length) } : {}),
      "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeRFC5987(safeFileName(file.name))}`,
      "content-security-policy": "sandbox; default-src 'none'",
      "x-content-type-options": "nosniff",
      "cross-origin-resource-policy": file.crossOrigin ? "cross-origin" : "same-origin",
      "cache-control": "private, max-age=3600",
      "referrer-policy": "no-referrer",
    },
  });
}

/**
 * A name a file system and a download dialog take as it is: no folders, control
 * characters or quotes, and no half of a surrogate pair (which encodeURIComponent
 * refuses with an exception).
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .slice(0, 200)
    .replace(/[\\/\u0000-\u001f\u007f"]/g, "_")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .trim();
  return cleaned === "" || cleaned === "." || cleaned === ".." ? "file" : cleaned;
}

/** encodeURIComponent leaves ' ( ) * as they are; RFC 5987's attr-char does not allow them. */
function encodeRFC5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
