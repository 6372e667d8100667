import IntlMessageFormat from "intl-messageformat";
import { isConsoleLocale, type ConsoleLocale } from "@/lib/i18n/locales";
import { consoleMessages } from "@/lib/i18n/messages";

export type Translate = (key: string, values?: Record<string, string | number>) => string;

/**
 * The console's messages for text the server writes outside a page (a push, an email), in the
 * person's language (User.locale; English when it is not one of the console's).
 */
export async function translator(locale: string, namespace: string): Promise<Translate> {
  const language: ConsoleLocale = isConsoleLocale(locale) ? locale : "en";
  const messages = await consoleMessages[language]();
  return (key, values) => {
    const text = `${namespace}.${key}`.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
    if (typeof text !== "string") throw new Error(`missing message ${namespace}.${key}`);
    return String(new IntlMessageFormat(text, language, undefined, { ignoreTag: true }).format(values));
  };
}
