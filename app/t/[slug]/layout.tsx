import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { LanguageSwitcher } from "@/components/i18n/language-switcher";
import { initials } from "@/components/inbox/format";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { ReadOnArrival } from "@/components/notifications/read-on-arrival";
import { MobileMenu } from "@/components/workspace/mobile-menu";
import { WorkspaceRealtime } from "@/components/workspace/workspace-realtime";
import { TenantSwitcher } from "@/components/workspace/tenant-switcher";
import { membershipsOf } from "@/server/auth/memberships";
import { requireUser } from "@/server/auth/session";
import { getSystemDb } from "@/server/db/client";
import { requestedPath } from "@/server/http/request-path";

export const dynamic = "force-dynamic";

const navLink = "rounded-lg px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:hover:bg-slate-800";
/** A link of the phone menu: a full-width row, tall enough to tap. */
const menuLink = "flex min-h-11 items-center rounded-lg px-3 text-base font-medium hover:bg-slate-100 dark:hover:bg-slate-800";

/**
 * Every page of a workspace: signed in, and a member of this workspace — checked
 * here on the server. A workspace you do not belong to looks like one that does not exist.
 */
export default async function WorkspaceLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  // Back to exactly what was asked for (a conversation, a settings page, their query) after signing in.
  const user = await requireUser(requestedPath(await headers(), `/t/${slug}`));
  const memberships = await membershipsOf(getSystemDb(), user.id);
  const membership = memberships.find((candidate) => candidate.tenant.slug === slug);
  if (!membership) notFound();
  const t = await getTranslations("shell");
  const links = [
    { href: `/t/${slug}/inbox`, label: t("inbox") },
    { href: `/t/${slug}/team`, label: t("team") },
    { href: `/t/${slug}/reports`, label: t("reports") },
    ...(membership.role !== "agent" ? [{ href: `/t/${slug}/settings`, label: t("settings") }] : []),
  ];
  // The header is 49 px high at every width (the inbox's height is the screen's less that); on a phone its
  // links, language and sign-out fold into a menu, and the account shows as initials.
  return (
    <WorkspaceRealtime slug={slug}>
      <ReadOnArrival />
      <div className="flex min-h-dvh flex-col">
        <header className="relative flex items-center justify-between border-b border-slate-200 px-4 py-2 max-md:gap-1 max-md:px-2 max-md:py-0.5 dark:border-slate-800">
          <nav className="flex min-w-0 items-center gap-3" aria-label={t("workspaceNav")}>
            <TenantSwitcher current={slug} memberships={memberships} />
            {links.map((link) => (
              <Link key={link.href} href={link.href} className={`${navLink} max-md:hidden`}>
                {link.label}
              </Link>
            ))}
          </nav>
          <div className="flex items-center gap-3 text-sm max-md:gap-1">
            <NotificationBell slug={slug} />
            <Link
              href="/account"
              className="rounded-lg px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 max-md:flex max-md:size-11 max-md:items-center max-md:justify-center max-md:p-0 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
              title={t("account")}
              data-testid="signed-in-as"
            >
              <span className="max-md:sr-only">
                {user.name} · {user.email}
              </span>
              <span aria-hidden className="flex size-8 items-center justify-center rounded-full bg-gradient-to-br from-sky-400 to-indigo-500 text-xs font-semibold text-white md:hidden">
                {initials(user.name) || user.email.slice(0, 1).toUpperCase()}
              </span>
            </Link>
            <span className="contents max-md:hidden">
              <LanguageSwitcher />
            </span>
            <Link href="/sign-out" className={`${navLink} max-md:hidden`}>
              {t("signOut")}
            </Link>
          </div>
          <MobileMenu label={t("menu")}>
            <nav aria-label={t("workspaceNav")}>
              <ul>
                {links.map((link) => (
                  <li key={link.href}>
                    <Link href={link.href} className={menuLink}>
                      {link.label}
                    </Link>
                  </li>
                ))}
                <li className="flex min-h-11 items-center justify-between gap-3 px-3 [&_select]:min-h-11">
                  <span className="text-sm text-slate-600 dark:text-slate-400">{t("language")}</span>
                  <LanguageSwitcher />
                </li>
                <li>
                  <Link href="/sign-out" className={menuLink}>
                    {t("signOut")}
                  </Link>
                </li>
              </ul>
            </nav>
          </MobileMenu>
        </header>
        <div className="flex-1">{children}</div>
      </div>
    </WorkspaceRealtime>
  );
}
