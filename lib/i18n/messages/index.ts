import type { ConsoleLocale } from "@/lib/i18n/locales";

/**
 * The console's messages per language, in two files each: the admin console's
 * (shell, common, settings) and the agent side's (sign-in, workspace home, inbox).
 */
export const consoleMessages: Record<ConsoleLocale, () => Promise<Record<string, unknown>>> = {
  en: async () => ({ ...(await import("./en.json")).default, ...(await import("./agent/en.json")).default }),
  ru: async () => ({ ...(await import("./ru.json")).default, ...(await import("./agent/ru.json")).default }),
};

/**
 * What the browser needs: the root gives every page all but the settings pages' messages; the
 * settings layout gives its pages only theirs and the common words (a nested provider replaces the
 * messages of its subtree).
 */
export function messagesFor(messages: Record<string, unknown>, part: "agent" | "settings"): Record<string, unknown> {
  if (part === "settings") return { common: messages.common, settings: messages.settings };
  return Object.fromEntries(Object.entries(messages).filter(([namespace]) => namespace !== "settings"));
}
