/**
 * A locale someone asks for (a contact's Telegram language, a URL segment) in
 * canonical BCP 47 form — `pt_br` → `pt-BR`, `zh-hans` → `zh-Hans` — or null
 * when it is not a language tag.
 */
export function canonicalLocale(input: string): string | null {
  if (input.length > 35 || !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(input)) return null;
  try {
    return Intl.getCanonicalLocales(input.replaceAll("_", "-"))[0] ?? null;
  } catch {
    return null;
  }
}
