import { TRPCError } from "@trpc/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { AcceptInvitationForm } from "@/components/invitations/accept-invitation-form";
import { Alert } from "@/components/ui/alert";
import { api } from "@/server/api/caller";

export async function generateMetadata() {
  const t = await getTranslations("invite");
  return { title: t("title") };
}
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const caller = await api();
  const invitation = await caller.invitations.get({ token }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
    throw error;
  });
  const [t, tRoles, format] = await Promise.all([getTranslations("invite"), getTranslations("team.roles"), getFormatter()]);
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 px-6">
      {!invitation ? (
        <Alert tone="error">{t("invalid")}</Alert>
      ) : invitation.state !== "pending" ? (
        <>
          <h1 className="text-2xl font-semibold tracking-tight">{t("heading", { workspace: invitation.tenant.name })}</h1>
          <Alert tone="error">{t(`problems.${invitation.state}`)}</Alert>
        </>
      ) : (
        <>
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">{t("heading", { workspace: invitation.tenant.name })}</h1>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              {t("intro", {
                role: tRoles(invitation.role),
                email: invitation.email,
                expires: format.dateTime(invitation.expiresAt, { dateStyle: "long", timeStyle: "short" }),
              })}
            </p>
          </div>
          <AcceptInvitationForm token={token} email={invitation.email} hasAccount={invitation.hasAccount} />
        </>
      )}
    </main>
  );
}
