/**
 * The one check of every redirect target the product follows (after sign-in,
 * after joining, next-auth's callbacks): a path on this site, nothing else.
 * Browsers are generous with what they take as another site — `//evil`, `/\evil`,
 * `/\t/evil` (tabs and newlines are dropped), `https:evil`, and the same
 * percent-encoded once or twice — so the target is refused unless every
 * decoding of it is a plain same-origin path. What passes is returned
 * normalized (path, query and fragment), what does not becomes `fallback`.
 */

const MAX_LENGTH = 2048;
const base = "http://same-origin.invalid";

function isPlainPath(value: string): boolean {
  if (!value.startsWith("/") || value.startsWith("//")) return false;
  // Backslashes are slashes to browsers; control characters (tabs, newlines, NUL) are silently dropped by them.
  return !/[\\\u0000-\u001f\u007f]/.test(value);
}

export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  let decoded = value;
  for (let round = 0; round < 3; round++) {
    if (!isPlainPath(decoded)) return fallback;
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return fallback;
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (!isPlainPath(decoded)) return fallback;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
