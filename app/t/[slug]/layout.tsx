import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { LanguageSwitcher } from "@/components/i18n/language-switcher";
import { TenantSwitcher } from "@/components/workspace/tenant-switcher";
import { membershipsOf } from "@/server/auth/memberships";
import { requireUser } from "@/server/auth/session";
import { getSystemDb } from "@/server/db/client";
import { requestedPath } from "@/server/http/request-path";

export const dynamic = "force-dynamic";

const navLink = "rounded-lg px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:hover:bg-slate-800";

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
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex items-center justify-between border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <nav className="flex items-center gap-3" aria-label={t("workspaceNav")}>
          <TenantSwitcher current={slug} memberships={memberships} />
          <Link href={`/t/${slug}/inbox`} className={navLink}>
            {t("inbox")}
          </Link>
          <Link href={`/t/${slug}/team`} className={navLink}>
            {t("team")}
          </Link>
          {membership.role !== "agent" ? (
            <Link href={`/t/${slug}/settings`} className={navLink}>
              {t("settings")}
            </Link>
          ) : null}
        </nav>
        <div className="flex items-center gap-3 text-sm">
          <Link href="/account" className="rounded-lg px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100" title={t("account")} data-testid="signed-in-as">
            {user.name} · {user.email}
          </Link>
          <LanguageSwitcher />
          <Link href="/sign-out" className={navLink}>
            {t("signOut")}
          </Link>
        </div>
      </header>
      <div className="flex-1">{children}</div>
    </div>
  );
}
