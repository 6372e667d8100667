import { canonicalLocale } from "@/lib/templates/locale";
import { parseMessage } from "@/lib/templates/parse-message";
import { formatMessage, resolveVariant, type Fallback } from "@/lib/templates/render";
import { templateVariables } from "@/lib/templates/variables";
import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { getSettings } from "@/server/services/settings/settings";

/** A stored template (by id or key), or text not saved yet. */
export type PreviewSource = { id: string } | { key: string } | { body: string };

export type Preview = { text: string; locale: string; fallback: Fallback; missing: string[]; variables: string[] };

async function storedVariant(db: DbClient, tenantId: string, source: { id: string } | { key: string }, locale: string) {
  const template = await db.template.findFirst({
    where: "id" in source ? { id: source.id } : { key: source.key },
    select: { variants: { select: { locale: true, body: true }, orderBy: { locale: "asc" } } },
  });
  if (!template) throw new AppError("NOT_FOUND", "no such template");
  const { defaultLocale } = (await getSettings(db, { tenantId })).values;
  const resolved = resolveVariant(template.variants, locale, defaultLocale);
  if (!resolved) throw new AppError("NOT_FOUND", "this template has no text in any language yet");
  return { body: resolved.variant.body, locale: resolved.variant.locale, fallback: resolved.fallback };
}

/**
 * A template as a customer with `locale` would get it, filled with sample
 * variables: which variant was used and why (exact locale, its language, the
 * workspace's default, English, any), which variables it uses and which of
 * them were not given. Unsaved text is rendered in the locale as it is.
 */
export async function previewTemplate(
  db: DbClient,
  input: { tenantId: string; source: PreviewSource; locale: string; variables: Record<string, string | number> },
): Promise<Preview> {
  const locale = canonicalLocale(input.locale);
  if (!locale) throw new AppError("BAD_REQUEST", `"${input.locale}" is not a language code such as en, ru or pt-BR`, { fieldErrors: { locale: ["a language code such as en, ru or pt-BR"] } });
  const chosen = "body" in input.source ? { body: input.source.body, locale, fallback: "exact" as const } : await storedVariant(db, input.tenantId, input.source, locale);
  const parsed = parseMessage(chosen.body);
  if (!parsed.ok) {
    const where = "body" in input.source ? "the text" : `the ${chosen.locale} text`;
    throw new AppError("BAD_REQUEST", `${where} is not valid ICU MessageFormat: ${parsed.problem.message}`, { fieldErrors: { body: [parsed.problem.message] } });
  }
  let rendered: { text: string; missing: string[] };
  try {
    rendered = formatMessage(parsed.elements, chosen.locale, input.variables);
  } catch (error) {
    throw new AppError("BAD_REQUEST", `the text cannot be formatted: ${(error as Error).message}`);
  }
  return { ...rendered, locale: chosen.locale, fallback: chosen.fallback, variables: [...templateVariables(parsed.elements).keys()] };
}
