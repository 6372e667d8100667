import Link from "next/link";
import { useTranslations } from "next-intl";

type Membership = { id: string; role: string; tenant: { slug: string; name: string } };

/** The workspaces of the signed-in user; the current one is marked. Plain links, so it works without JavaScript. */
export function TenantSwitcher({ current, memberships }: { current: string; memberships: Membership[] }) {
  const t = useTranslations();
  const others = memberships.filter((membership) => membership.tenant.slug !== current);
  const active = memberships.find((membership) => membership.tenant.slug === current);
  return (
    <details className="relative min-w-0">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-lg px-3 py-1.5 text-sm font-semibold hover:bg-slate-100 max-md:min-h-11 dark:hover:bg-slate-800"
        aria-label={t("home.switcher.label", { name: active?.tenant.name ?? "" })}
      >
        <span className="truncate">{active?.tenant.name}</span>
        <span aria-hidden className="text-slate-400">▾</span>
      </summary>
      <nav
        aria-label={t("home.switcher.workspaces")}
        className="absolute left-0 z-10 mt-1 min-w-56 rounded-lg border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
      >
        {others.length === 0 ? <p className="px-3 py-2 text-sm text-slate-500">{t("home.switcher.none")}</p> : null}
        {others.map((membership) => (
          <Link
            key={membership.id}
            href={`/t/${membership.tenant.slug}`}
            className="flex justify-between gap-4 rounded-md px-3 py-2 text-sm hover:bg-slate-100 max-md:min-h-11 max-md:items-center dark:hover:bg-slate-800"
          >
            <span>{membership.tenant.name}</span>
            <span className="text-slate-500">{t(`team.roles.${membership.role}`)}</span>
          </Link>
        ))}
      </nav>
    </details>
  );
}
