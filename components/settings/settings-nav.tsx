"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { settingsSections } from "./sections";

export function SettingsNav({ slug }: { slug: string }) {
  const t = useTranslations("settings.nav");
  const pathname = usePathname();
  return (
    <nav aria-label={t("label")} className="md:w-56 md:shrink-0">
      <h1 className="mb-3 px-3 text-lg font-semibold">{t("title")}</h1>
      <ul className="flex gap-1 overflow-x-auto md:flex-col">
        {settingsSections.map((section) => {
          const href = `/t/${slug}/settings/${section}`;
          const active = pathname === href;
          return (
            <li key={section}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={`block whitespace-nowrap rounded-lg px-3 py-1.5 text-sm max-md:flex max-md:min-h-11 max-md:items-center ${
                  active ? "bg-brand-50 font-medium text-brand-700 dark:bg-slate-800 dark:text-white" : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                }`}
              >
                {t(section)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
