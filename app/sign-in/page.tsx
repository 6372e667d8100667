import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentUser } from "@/server/auth/session";

export async function generateMetadata() {
  const t = await getTranslations("auth.signIn");
  return { title: t("title") };
}

/** Only same-site paths may be a destination after signing in. */
function safeCallback(value: string | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const t = await getTranslations("auth.signIn");
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 px-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t("heading")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
      </div>
      {params.joined ? <p className="text-sm text-emerald-700 dark:text-emerald-400" role="status">{t("joined", { workspace: params.joined })}</p> : null}
      <SignInForm callbackUrl={callbackUrl} initialEmail={params.email} initialError={params.error} />
    </main>
  );
}
