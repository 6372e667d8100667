/** The languages the console speaks; each has a message file in lib/i18n/messages. */
export const consoleLocales = ["en", "ru"] as const;
export type ConsoleLocale = (typeof consoleLocales)[number];

export function isConsoleLocale(value: unknown): value is ConsoleLocale {
  return typeof value === "string" && (consoleLocales as readonly string[]).includes(value);
}

/** The best console language for an Accept-Language header: the first listed one we speak, else English. */
export function negotiateLocale(acceptLanguage: string | null | undefined): ConsoleLocale {
  for (const part of (acceptLanguage ?? "").split(",")) {
    const language = part.split(";")[0]!.trim().toLowerCase().split("-")[0];
    if (isConsoleLocale(language)) return language;
  }
  return "en";
}
