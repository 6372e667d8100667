/** Telegram counts the 4096 characters of a text after its HTML is parsed, i.e. in the plain text. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Escapes the three characters Telegram's HTML parse mode treats specially. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Splits a reply into parts Telegram accepts, preferring a paragraph break,
 * then a line break, then a space, and never splitting a surrogate pair.
 */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > limit) {
    const window = [...rest].slice(0, limit).join("");
    const cut =
      [window.lastIndexOf("\n\n"), window.lastIndexOf("\n"), window.lastIndexOf(" ")].find((index) => index > limit / 2) ?? window.length;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** The Telegram HTML parts of an agent's reply. */
export function renderReply(text: string): string[] {
  return splitText(text).map(escapeHtml);
}
