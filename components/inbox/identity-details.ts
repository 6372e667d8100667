/**
 * What the website widget stored about a visitor (`ContactIdentity.details`),
 * read defensively: every value came from the visitor's browser, so only text
 * (and numbers, yes/no) is kept, and nothing is trusted to be of the shape the
 * widget meant to write.
 */
export type WidgetVisitorDetails = {
  pageUrl: string | null;
  referrer: string | null;
  browser: string | null;
  locale: string | null;
  verifiedId: string | null;
  /** Everything else (the pre-chat form's own fields), as label and value, in stored order. */
  fields: [string, string][];
};

const known = ["pageUrl", "referrer", "browser", "locale", "verifiedId"] as const;
const MAX_FIELDS = 30;

const text = (value: unknown): string | null =>
  typeof value === "string" ? value || null : typeof value === "number" || typeof value === "boolean" ? String(value) : null;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export function widgetVisitorDetails(details: unknown): WidgetVisitorDetails {
  const record = isRecord(details) ? details : {};
  const fields: [string, string][] = [];
  for (const [key, value] of Object.entries(record)) {
    if ((known as readonly string[]).includes(key)) continue;
    // Pre-chat answers may sit one level down (`fields: { order: "5521" }`).
    const entries = isRecord(value) ? Object.entries(value) : [[key, value] as const];
    for (const [label, answer] of entries) {
      const shown = text(answer);
      if (shown !== null && fields.length < MAX_FIELDS) fields.push([label, shown]);
    }
  }
  return {
    pageUrl: text(record.pageUrl),
    referrer: text(record.referrer),
    browser: text(record.browser),
    locale: text(record.locale),
    verifiedId: text(record.verifiedId),
    fields,
  };
}

/** The address to link to when a customer-given URL is plain http(s); null for anything else (javascript:, data:, relative, garbage). */
export function httpLink(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
