import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { SessionsPanel } from "@/components/account/sessions-panel";
import { LanguageSwitcher } from "@/components/i18n/language-switcher";
import { membershipsOf } from "@/server/auth/memberships";
import { requireUser } from "@/server/auth/session";
import { getSystemDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("account");
  return { title: t("title") };
}

const navLink = "rounded-lg px-3 py-1.5 text-sm font-medium hover:bg-slate-100 max-md:flex max-md:min-h-11 max-md:items-center max-md:gap-1 dark:hover:bg-slate-800";

/** The signed-in person's own account, whichever workspaces they are in: where they are signed in, and their password. */
export default async function AccountPage() {
  const user = await requireUser("/account");
  const [t, tShell, memberships] = await Promise.all([getTranslations("account"), getTranslations("shell"), membershipsOf(getSystemDb(), user.id)]);
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex items-center justify-between border-b border-slate-200 px-4 py-2 max-md:px-2 max-md:py-0.5 dark:border-slate-800">
        <Link href="/" className={navLink}>
          <span aria-hidden>← </span>
          {t("back")}
        </Link>
        <div className="flex items-center gap-3 text-sm max-md:gap-1 max-md:[&_select]:min-h-11">
          <LanguageSwitcher />
          <Link href="/sign-out" className={navLink}>
            {tShell("signOut")}
          </Link>
        </div>
      </header>
      <main className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-6 py-10 max-md:px-4 max-md:py-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400" data-testid="account-of">
            {t("signedInAs", { name: user.name, email: user.email })}
          </p>
        </div>
        <section aria-labelledby="account-notifications" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm max-md:p-4 dark:border-slate-800 dark:bg-slate-900">
          <h2 id="account-notifications" className="text-sm font-semibold">
            {t("notificationsTitle")}
          </h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t("notificationsIntro")}</p>
          <ul className="mt-2 flex flex-wrap gap-2">
            {memberships.map((membership) => (
              <li key={membership.tenant.id}>
                <Link href={`/t/${membership.tenant.slug}/notifications`} className="inline-flex min-h-11 items-center rounded-lg border border-slate-300 px-3 text-sm hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800">
                  {membership.tenant.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
        <SessionsPanel />
        <ChangePasswordForm />
      </main>
    </div>
  );
}
