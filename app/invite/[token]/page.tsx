import { TRPCError } from "@trpc/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { AcceptInvitationForm } from "@/components/invitations/accept-invitation-form";
import { Alert } from "@/components/ui/alert";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { api } from "@/server/api/caller";

export async function generateMetadata() {
  const t = await getTranslations("invite");
  return { title: t("title") };
}
export const dynamic = "force-dynamic";

/**
 * The invitation link. Signed in as the invitee: join with one click. Signed in
 * as someone else: sign out first. Signed out: create an account here, or sign
 * in (and come back) when the address already has one. `next` is where to go
 * after joining (a deep link that brought the invitee here).
 */
export default async function InvitationPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await params;
  const query = await searchParams;
  const caller = await api();
  const invitation = await caller.invitations.get({ token }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
    throw error;
  });
  const [t, tRoles, format] = await Promise.all([getTranslations("invite"), getTranslations("team.roles"), getFormatter()]);
  if (!invitation) {
    return (
      <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 px-6">
        <Alert tone="error">{t("invalid")}</Alert>
      </main>
    );
  }
  const next = safeRedirectPath(typeof query.next === "string" ? query.next : undefined, `/t/${invitation.tenant.slug}`);
  const here = `/invite/${token}${next === `/t/${invitation.tenant.slug}` ? "" : `?next=${encodeURIComponent(next)}`}`;
  const signIn = `/sign-in?${new URLSearchParams({ callbackUrl: here, email: invitation.email }).toString()}`;
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 px-6">
      <h1 className="text-2xl font-semibold tracking-tight break-words">{t("heading", { workspace: invitation.tenant.name })}</h1>
      {invitation.state !== "pending" ? (
        <Alert tone="error">{t(`problems.${invitation.state}`)}</Alert>
      ) : (
        <>
          <p className="-mt-4 text-sm text-slate-600 dark:text-slate-400">
            {t("intro", {
              role: tRoles(invitation.role),
              email: invitation.email,
              expires: format.dateTime(invitation.expiresAt, { dateStyle: "long", timeStyle: "short" }),
            })}
          </p>
          {invitation.signedInAs && !invitation.signedInAs.isInvitee ? (
            <>
              <Alert tone="error">{t("otherAccount", { invitee: invitation.email, email: invitation.signedInAs.email })}</Alert>
              <SignOutButton variant="primary" callbackUrl={here} />
            </>
          ) : (
            <AcceptInvitationForm token={token} email={invitation.email} signedIn={Boolean(invitation.signedInAs)} next={next} signInUrl={signIn} />
          )}
        </>
      )}
    </main>
  );
}
