"use client";

import { useMutation } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { consoleLocales } from "@/lib/i18n/locales";
import { useTRPC } from "@/lib/trpc/client";

const names: Record<string, string> = { en: "English", ru: "Русский" };

/** The signed-in user's console language, kept on their account so it follows them to every device. */
export function LanguageSwitcher() {
  const t = useTranslations("shell");
  const locale = useLocale();
  const router = useRouter();
  const trpc = useTRPC();
  const setLocale = useMutation(trpc.me.setLocale.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <select
        value={locale}
        disabled={setLocale.isPending}
        onChange={(event) => setLocale.mutate({ locale: event.target.value as (typeof consoleLocales)[number] })}
        className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
        aria-label={t("language")}
      >
        {consoleLocales.map((code) => (
          <option key={code} value={code}>
            {names[code]}
          </option>
        ))}
    </select>
  );
}
