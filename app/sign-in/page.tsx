import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { emailSchema } from "@/lib/validation";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { currentUser } from "@/server/auth/session";

export async function generateMetadata() {
  const t = await getTranslations("auth.signIn");
  return { title: t("title") };
}

/** What the page may say above the form: a fixed set, chosen by key. Nothing from the query is ever printed. */
const notices = ["joined", "signedOut", "sessionEnded", "passwordChanged"] as const;
type Notice = (typeof notices)[number];
const isNotice = (value: unknown): value is Notice => typeof value === "string" && (notices as readonly string[]).includes(value);

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);
  const callbackUrl = safeRedirectPath(one(params.callbackUrl));
  if (await currentUser()) redirect(callbackUrl);
  const t = await getTranslations("auth.signIn");
  const notice = isNotice(params.notice) ? params.notice : undefined;
  const email = emailSchema.safeParse(one(params.email));
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 px-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t("heading")}</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{t("intro")}</p>
      </div>
      {notice ? (
        <p className="text-sm text-emerald-700 dark:text-emerald-400" role="status">
          {t(`notices.${notice}`)}
        </p>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} initialEmail={email.success ? email.data : undefined} initialError={one(params.error)} />
    </main>
  );
}
