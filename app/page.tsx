import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { SystemStatus } from "@/components/status/system-status";
import { Card } from "@/components/ui/card";
import { membershipsOf } from "@/server/auth/memberships";
import { currentUser } from "@/server/auth/session";
import { getQueryClient, HydrateClient, trpc } from "@/server/api/server";
import { getSystemDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

/** Signed out: what this is and a way in. Signed in: straight to the workspace, or a choice of them. */
export default async function HomePage() {
  const user = await currentUser();
  const t = await getTranslations("home");
  if (user) {
    const memberships = await membershipsOf(getSystemDb(), user.id);
    if (memberships.length === 1) redirect(`/t/${memberships[0]!.tenant.slug}`);
    const [tRoles, tShell] = await Promise.all([getTranslations("team.roles"), getTranslations("shell")]);
    return (
      <main className="mx-auto flex max-w-lg flex-col gap-6 px-6 py-16">
        <h1 className="text-2xl font-semibold tracking-tight">{t("chooseWorkspace")}</h1>
        {memberships.length === 0 ? (
          <p className="text-slate-600 dark:text-slate-400">
            {t("noWorkspace", { email: user.email })}
          </p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
            {memberships.map((membership) => (
              <li key={membership.id}>
                <Link href={`/t/${membership.tenant.slug}`} className="flex items-center justify-between px-4 py-3 hover:bg-slate-50 dark:hover:bg-slate-900">
                  <span className="font-medium">{membership.tenant.name}</span>
                  <span className="text-sm text-slate-500">{tRoles(membership.role)}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        <div className="flex items-center gap-3">
          <Link href="/account" className="text-sm font-medium text-brand-600 hover:underline dark:text-brand-400">
            {tShell("account")}
          </Link>
          <SignOutButton />
        </div>
      </main>
    );
  }

  void getQueryClient().prefetchQuery(trpc.health.check.queryOptions());
  return (
    <HydrateClient>
      <main className="mx-auto flex max-w-2xl flex-col gap-6 px-6 py-16">
        <header className="flex items-start justify-between gap-4">
          <div>
            <h1 className="text-3xl font-semibold tracking-tight">Support Chat</h1>
            <p className="mt-2 text-slate-600 dark:text-slate-400">
              {t("tagline")}
            </p>
          </div>
          <Link href="/sign-in" className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
            {t("signIn")}
          </Link>
        </header>
        <Card title={t("systemStatus")}>
          <SystemStatus />
        </Card>
      </main>
    </HydrateClient>
  );
}
