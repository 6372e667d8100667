import { createLiteralElement, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import IntlMessageFormat from "intl-messageformat";
import { parseMessage } from "./parse-message";
import { templateVariables, type VariableKind } from "./variables";

export type Variant = { locale: string; body: string };

/** Which step of the fallback chain found the variant. */
export type Fallback = "exact" | "language" | "default" | "english" | "any";

/**
 * The variant for a locale and how it was found: the exact locale, then its
 * language (pt-BR → pt), then the workspace's default, then English, then
 * whatever exists (the first given).
 */
export function resolveVariant<V extends Variant>(variants: V[], locale: string | null | undefined, defaultLocale = "en"): { variant: V; fallback: Fallback } | undefined {
  const wanted = (locale ?? "").toLowerCase();
  const steps: [Fallback, string][] = [
    ["exact", wanted],
    ["language", wanted.split(/[-_]/)[0]!],
    ["default", defaultLocale.toLowerCase()],
    ["english", "en"],
  ];
  for (const [fallback, candidate] of steps) {
    const variant = candidate ? variants.find((each) => each.locale.toLowerCase() === candidate) : undefined;
    if (variant) return { variant, fallback };
  }
  return variants[0] ? { variant: variants[0], fallback: "any" } : undefined;
}

/** The variant for a locale, after fallback (see `resolveVariant`). */
export function pickVariant<V extends Variant>(variants: V[], locale: string | null | undefined, defaultLocale = "en"): V | undefined {
  return resolveVariant(variants, locale, defaultLocale)?.variant;
}

type Value = string | number | Date;

/** A given value in the form its use needs (plural "3" → 3), or undefined when it is absent or unusable there. */
function usable(value: string | number | undefined, kind: VariableKind): Value | undefined {
  if (value === undefined || value === "") return undefined;
  if (kind === "number") {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    return /^\s*[+-]?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : undefined;
  }
  if (kind === "date") {
    const date = new Date(typeof value === "number" ? value : Date.parse(value));
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return value;
}

/**
 * The message with every use of a missing variable written as `{name}`; a
 * plural or select on one shows its `other` option, where `#` becomes `{name}`.
 */
type Placeholder = (name: string) => string;
/** How a variable without a value is written: {name} for people who can fill it in; a bot's reply may write nothing. */
export type RenderOptions = { placeholder?: Placeholder };
const braces: Placeholder = (name) => `{${name}}`;

function withPlaceholders(elements: MessageFormatElement[], missing: Set<string>, placeholder: Placeholder, poundOf?: string): MessageFormatElement[] {
  return elements.flatMap((element): MessageFormatElement[] => {
    switch (element.type) {
      case TYPE.pound:
        return [poundOf ? createLiteralElement(placeholder(poundOf)) : element];
      case TYPE.plural:
      case TYPE.select: {
        // `#` inside a plural's options is that plural's number; inside a select's, still the enclosing plural's.
        const innerPound = element.type === TYPE.plural ? element.value : poundOf;
        if (missing.has(element.value)) return withPlaceholders(element.options.other?.value ?? [], missing, placeholder, innerPound);
        const options = Object.fromEntries(
          Object.entries(element.options).map(([selector, option]) => [selector, { ...option, value: withPlaceholders(option.value, missing, placeholder, element.type === TYPE.plural ? undefined : poundOf) }]),
        );
        return [{ ...element, options }];
      }
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        return [missing.has(element.value) ? createLiteralElement(placeholder(element.value)) : element];
      default:
        return [element];
    }
  });
}

/**
 * Formats a parsed message (see `parseMessage`) in a locale. Numbers for
 * plurals and numbers may be given as numeric strings; a variable that is not
 * given (or cannot be used where it is: "abc" for a plural) is reported as
 * missing and shown as {name}. Throws only when Intl itself refuses.
 */
export function formatMessage(
  elements: MessageFormatElement[],
  locale: string,
  variables: Record<string, string | number | undefined>,
  options: RenderOptions = {},
): { text: string; missing: string[] } {
  const values: Record<string, Value> = {};
  const missing: string[] = [];
  for (const [name, kind] of templateVariables(elements)) {
    const value = usable(Object.hasOwn(variables, name) ? variables[name] : undefined, kind);
    if (value === undefined) missing.push(name);
    else values[name] = value;
  }
  const filled = missing.length > 0 ? withPlaceholders(elements, new Set(missing), options.placeholder ?? braces) : elements;
  return { text: String(new IntlMessageFormat(filled, locale, undefined, { ignoreTag: true }).format(values)), missing };
}

/**
 * Renders an ICU MessageFormat body with the given variables. A variable the
 * message uses but that is not given is reported, and shown as {name} rather
 * than failing; a body that is not valid ICU is returned as written.
 */
export function renderTemplate(
  body: string,
  locale: string,
  variables: Record<string, string | number | undefined>,
  options: RenderOptions = {},
): { text: string; missing: string[] } {
  const parsed = parseMessage(body);
  if (!parsed.ok) return { text: body, missing: [] };
  try {
    return formatMessage(parsed.elements, locale, variables, options);
  } catch {
    return { text: body, missing: [] };
  }
}
