import type pg from "pg";
import { canonicalLocale } from "@/lib/templates/locale";
import { widgetLimits } from "@/lib/widget/protocol";
import { describeDevice } from "@/server/services/sessions/describe-device";
import type { InboundIdentity } from "../contract";

/** The contact a visitor already is in this channel, if they wrote (or left an email) before. */
export type KnownVisitor = { contactId: string; name: string; email: string | null; details: Record<string, unknown> };

/** What the visitor's browser reports with a call; all of it the visitor's own word, bounded and shown as text only. */
export type VisitorContext = {
  pageUrl?: string;
  referrer?: string;
  locale?: string;
  userAgent?: string | null;
  /** Pre-chat answers beyond name and email, by the admin's field keys. */
  preChat?: Record<string, string>;
};

export async function findKnownVisitor(db: pg.ClientBase, scope: { channelId: string }, visitorId: string): Promise<KnownVisitor | null> {
  const { rows } = await db.query<KnownVisitor>({
    name: "widget_known_visitor",
    text: `SELECT c.id AS "contactId", c.name, c.email, COALESCE(i.details, '{}'::jsonb) AS details
           FROM "ContactIdentity" i JOIN "Contact" c ON c.id = i."contactId" WHERE i."channelId" = $1 AND i."externalId" = $2`,
    values: [scope.channelId, visitorId],
  });
  return rows[0] ?? null;
}

/** A page address as it may be kept: http(s) only, at most the widget's URL length; anything else is dropped. */
function pageAddress(value: string | undefined): string | undefined {
  if (!value || value.length > widgetLimits.url) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href.slice(0, widgetLimits.url) : undefined;
  } catch {
    return undefined;
  }
}

/** The visitor's browser in words an agent reads at a glance ("Chrome 156 on Linux"), else the user agent, bounded. */
function browserOf(userAgent: string | null | undefined): string | undefined {
  if (!userAgent) return undefined;
  const device = describeDevice(userAgent);
  const words = [device.browser, device.os].filter(Boolean).join(" on ");
  return words || userAgent.slice(0, 256);
}

/** A name for a visitor who gave none, the same on every message: "Visitor 3f9a". */
export function defaultVisitorName(visitorId: string): string {
  return `Visitor ${visitorId.replace(/^(visitor|user):/, "").replace(/[^A-Za-z0-9]/g, "").slice(0, 4) || "?"}`;
}

/**
 * The visitor as intake takes them: their id, the name and email they gave
 * (now, or before), and what their browser reports over what was kept, so a
 * later call that reports less loses nothing. A verified visitor's identifier
 * is kept as `verifiedId`, which only the host site's signature can set.
 */
export function visitorIdentity(visitorId: string, known: KnownVisitor | null, given: { name?: string; email?: string }, context: VisitorContext): InboundIdentity {
  const locale = context.locale ? canonicalLocale(context.locale) : null;
  const fresh: Record<string, unknown> = {
    pageUrl: pageAddress(context.pageUrl),
    referrer: pageAddress(context.referrer),
    browser: browserOf(context.userAgent),
    locale: locale ?? undefined,
    verifiedId: visitorId.startsWith("user:") ? visitorId.slice("user:".length) : undefined,
  };
  const previousPreChat = (known?.details.preChat ?? {}) as Record<string, string>;
  const details: Record<string, unknown> = { ...known?.details };
  for (const [key, value] of Object.entries(fresh)) if (value !== undefined) details[key] = value;
  if (context.preChat && Object.keys(context.preChat).length > 0) details.preChat = { ...previousPreChat, ...context.preChat };
  return {
    externalId: visitorId,
    name: given.name?.trim() || known?.name || defaultVisitorName(visitorId),
    email: given.email ?? null,
    locale,
    details,
  };
}
