import IntlMessageFormat from "intl-messageformat";

export type Variant = { locale: string; body: string };

/**
 * The variant for a locale, after fallback: the exact locale, then its language
 * (pt-BR → pt), then the workspace's default, then English, then whatever exists.
 */
export function pickVariant<V extends Variant>(variants: V[], locale: string | null | undefined, defaultLocale = "en"): V | undefined {
  const wanted = (locale ?? "").toLowerCase();
  const byLocale = (candidate: string) => variants.find((variant) => variant.locale.toLowerCase() === candidate);
  return (
    (wanted && byLocale(wanted)) ||
    (wanted && byLocale(wanted.split(/[-_]/)[0]!)) ||
    byLocale(defaultLocale.toLowerCase()) ||
    byLocale("en") ||
    variants[0]
  );
}

/**
 * Renders an ICU MessageFormat body with the given variables. A variable the
 * message uses but that is not given is reported, and shown as {name} rather
 * than failing; a body that is not valid ICU is returned as written.
 */
export function renderTemplate(body: string, locale: string, variables: Record<string, string | number | undefined>): { text: string; missing: string[] } {
  let format: IntlMessageFormat;
  try {
    format = new IntlMessageFormat(body, locale);
  } catch {
    return { text: body, missing: [] };
  }
  const missing: string[] = [];
  const used = new Set(
    [...body.matchAll(/\{\s*([A-Za-z_][\w]*)/g)].map((match) => match[1]!),
  );
  const values: Record<string, string | number> = {};
  for (const name of used) {
    const value = variables[name];
    if (value === undefined || value === "") {
      missing.push(name);
      values[name] = `{${name}}`;
    } else {
      values[name] = value;
    }
  }
  try {
    return { text: String(format.format(values)), missing };
  } catch {
    return { text: body, missing };
  }
}
