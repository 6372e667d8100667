import type { ConsoleLocale } from "@/lib/i18n/locales";

/**
 * The console's messages per language, in two files each: the admin console's
 * (shell, common, settings) and the agent side's (sign-in, workspace home, inbox).
 */
export const consoleMessages: Record<ConsoleLocale, () => Promise<Record<string, unknown>>> = {
  en: async () => ({ ...(await import("./en.json")).default, ...(await import("./agent/en.json")).default }),
  ru: async () => ({ ...(await import("./ru.json")).default, ...(await import("./agent/ru.json")).default }),
};

/** What the browser needs: every page has the shell, common words and the agent side; the settings pages also their own. */
export function messagesFor(messages: Record<string, unknown>, part: "agent" | "settings"): Record<string, unknown> {
  if (part === "settings") return messages;
  return Object.fromEntries(Object.entries(messages).filter(([namespace]) => namespace !== "settings"));
}
