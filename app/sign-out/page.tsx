import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { currentUser } from "@/server/auth/session";

export async function generateMetadata() {
  const t = await getTranslations("auth.signOut");
  return { title: t("title") };
}

export default async function SignOutPage() {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const t = await getTranslations("auth.signOut");
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-4 px-6">
      <h1 className="text-2xl font-semibold tracking-tight">{t("heading")}</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">{t("signedInAs", { email: user.email })}</p>
      <SignOutButton variant="primary" />
    </main>
  );
}
