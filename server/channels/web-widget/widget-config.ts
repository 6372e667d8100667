import { realtimePublicUrl } from "@/lib/env";
import { canonicalLocale } from "@/lib/templates/locale";
import { renderTemplate, resolveVariant } from "@/lib/templates/render";
import { widgetLimits, type WidgetConfig, type WidgetStrings } from "@/lib/widget/protocol";
import type { DbClient } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { isWithinBusinessHours } from "@/server/services/automation/business-hours";
import { getSettings } from "@/server/services/settings/settings";
import type { WidgetCall } from "./widget-call";

const stringKeys: (keyof WidgetStrings)[] = [
  "launcherLabel",
  "closeLabel",
  "title",
  "messageLabel",
  "messagePlaceholder",
  "send",
  "attach",
  "agentTyping",
  "seen",
  "sending",
  "failed",
  "preChatTitle",
  "nameLabel",
  "emailLabel",
  "start",
  "awayEmailPrompt",
  "awayEmailSaved",
  "connectionLost",
  "fileTooBig",
  "required",
  "invalidEmail",
];

/**
 * A workspace's own widget text: a published `public` template named
 * `widget.<string>` in kebab case (`widget.launcher-label` for `launcherLabel`),
 * since template keys are lower case. The bundle has English and Russian for
 * every string; these only replace them.
 */
const templateKeyOf = (key: string) => `widget.${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
const stringKeyOf = new Map(stringKeys.map((key) => [templateKeyOf(key), key]));

/**
 * `GET /api/widget/<publicId>/config?locale=…`: what the bundle needs before
 * it shows anything. Everything here is public by nature (it is on the host
 * site's every page): the look the admin chose, the realtime address, whether
 * the team is in business hours now and the workspace's away text, and its
 * published widget strings for the locale (the workspace's text: the bundle
 * renders it as text, never HTML). No token needed: a visitor who may not
 * write yet (a channel that requires identity) still sees the widget.
 */
export async function widgetConfig(call: WidgetCall, now = new Date()): Promise<WidgetConfig> {
  const { widget, deps } = call;
  const asked = canonicalLocale(new URL(call.request.url).searchParams.get("locale") ?? "") ?? "en";
  const locale = asked.toLowerCase().startsWith("ru") ? "ru" : "en";
  const { away, strings } = await withTenant(deps.appDb, widget.tenantId, async (tx) => {
    const db = tx as DbClient;
    const { values: settings } = await getSettings(db, { tenantId: widget.tenantId });
    const closed = !isWithinBusinessHours(settings, now);
    let message: string | null = null;
    const awayKey = settings.autoReplies.away.templateKey;
    if (closed && awayKey) {
      const template = await db.template.findFirst({ where: { key: awayKey, kind: { in: ["auto_reply", "canned"] } }, select: { variants: { select: { locale: true, body: true } } } });
      const variant = template ? resolveVariant(template.variants, asked, settings.defaultLocale)?.variant : undefined;
      // As the away auto-reply renders it for a customer: a variable nobody can fill is written as nothing.
      message = variant
        ? renderTemplate(variant.body, variant.locale, {}, { placeholder: () => "" })
            .text.replace(/ {2,}/g, " ")
            .replace(/ ([,.!?])/g, "$1")
            .trim() || null
        : null;
    }
    const published = await db.template.findMany({
      where: { kind: "public", published: true, key: { in: [...stringKeyOf.keys()] } },
      select: { key: true, variants: { select: { locale: true, body: true } } },
    });
    const strings: Partial<WidgetStrings> = {};
    for (const template of published) {
      const variant = resolveVariant(template.variants, asked, settings.defaultLocale)?.variant;
      const key = stringKeyOf.get(template.key);
      if (variant && key) strings[key] = variant.body;
    }
    return { away: { now: closed, message }, strings };
  });
  return {
    publicId: widget.publicId,
    name: widget.name,
    color: widget.color,
    position: widget.position,
    greeting: widget.greeting,
    realtimeUrl: realtimePublicUrl(),
    preChat: widget.preChat,
    away,
    strings,
    locale,
    limits: widgetLimits,
    requireIdentity: widget.requireIdentity,
  };
}
