import { canonicalLocale } from "@/lib/templates/locale";
import { resolveVariant } from "@/lib/templates/render";
import { tenantSlugSchema } from "@/lib/validation";
import type { AppDb, DbClient, SystemDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { AppError } from "@/server/errors";
import { getSettings } from "@/server/services/settings/settings";

export type PublicStrings = {
  /** The locale asked for, canonical (pt_br → pt-BR). */
  locale: string;
  /** Each published public template's text (ICU MessageFormat source) in the locale, after fallback. */
  strings: Record<string, string>;
  /** The locale each string is actually in. */
  locales: Record<string, string>;
};

/**
 * A workspace's public strings (published templates of kind `public`) for a
 * locale, for clients without an account such as the web chat widget. Each is
 * the variant for the locale after fallback: exact, its language, the
 * workspace's default, English, else whichever exists. The slug is resolved
 * with the system client (no tenant is known yet); everything else is read
 * through the tenant-scoped app client.
 */
export async function publicStrings(deps: { appDb: AppDb; systemDb: SystemDb }, input: { slug: string; locale: string }): Promise<PublicStrings> {
  const slug = tenantSlugSchema.safeParse(input.slug);
  if (!slug.success) throw new AppError("BAD_REQUEST", "not a workspace slug (lowercase letters, digits and dashes)");
  const locale = canonicalLocale(input.locale);
  if (!locale) throw new AppError("BAD_REQUEST", "not a language code; use one such as en, ru or pt-BR");
  const tenant = await deps.systemDb.tenant.findUnique({ where: { slug: slug.data }, select: { id: true } });
  if (!tenant) throw new AppError("NOT_FOUND", "no such workspace");

  return withTenant(deps.appDb, tenant.id, async (tx) => {
    const db = tx as DbClient;
    const { defaultLocale } = (await getSettings(db, { tenantId: tenant.id })).values;
    const templates = await db.template.findMany({
      where: { kind: "public", published: true },
      select: { key: true, variants: { select: { locale: true, body: true }, orderBy: { locale: "asc" } } },
      orderBy: { key: "asc" },
    });
    const result: PublicStrings = { locale, strings: {}, locales: {} };
    for (const template of templates) {
      const resolved = resolveVariant(template.variants, locale, defaultLocale);
      if (!resolved) continue;
      result.strings[template.key] = resolved.variant.body;
      result.locales[template.key] = resolved.variant.locale;
    }
    return result;
  });
}
