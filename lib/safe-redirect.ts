/**
 * The one check of every redirect target the product follows (after sign-in,
 * after joining, next-auth's callbacks): a path on this site, nothing else.
 * Browsers are generous with what they take as another site — `//evil`, `/\evil`,
 * `/\t/evil` (tabs and newlines are dropped), `https:evil`, and the same
 * percent-encoded once or twice, or reached by resolving `.` and `..` (`/.//evil`)
 * — so the target is refused unless every decoding of it, before and after its
 * dot segments resolve, is a plain same-origin path. What passes is returned
 * normalized (path, query and fragment), what does not becomes `fallback`.
 */

const MAX_LENGTH = 2048;
const base = "http://same-origin.invalid";

function isPlainPath(value: string): boolean {
  if (!value.startsWith("/") || value.startsWith("//")) return false;
  // Backslashes are slashes to browsers; control characters (tabs, newlines, NUL) are silently dropped by them.
  return !/[\\\u0000-\u001f\u007f]/.test(value);
}

/** A plain path however many times it is percent-decoded (up to three: browsers and routers decode again). */
function isPlainInEveryDecoding(value: string): boolean {
  let decoded = value;
  for (let round = 0; round < 3; round++) {
    if (!isPlainPath(decoded)) return false;
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return false;
    }
    if (next === decoded) return true;
    decoded = next;
  }
  return isPlainPath(decoded);
}

export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH || !isPlainInEveryDecoding(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  // Resolving dot segments can make a path out of one that was not: "/.//evil" and "/a/..//evil" become "//evil".
  const resolved = `${url.pathname}${url.search}${url.hash}`;
  return isPlainInEveryDecoding(resolved) ? resolved : fallback;
}
