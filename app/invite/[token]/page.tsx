import type { Metadata } from "next";
import { TRPCError } from "@trpc/server";
import { AcceptInvitationForm } from "@/components/invitations/accept-invitation-form";
import { Alert } from "@/components/ui/alert";
import { api } from "@/server/api/caller";

export const metadata: Metadata = { title: "Join a workspace" };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const caller = await api();
  const invitation = await caller.invitations.get({ token }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) return null;
    throw error;
  });
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-6 px-6">
      {!invitation ? (
        <Alert tone="error">This invitation link is not valid. Check that you copied all of it, or ask for a new one.</Alert>
      ) : invitation.problem ? (
        <>
          <h1 className="text-2xl font-semibold tracking-tight">Join {invitation.tenant.name}</h1>
          <Alert tone="error">{invitation.problem[0]!.toUpperCase() + invitation.problem.slice(1)}.</Alert>
        </>
      ) : (
        <>
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Join {invitation.tenant.name}</h1>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              You are invited as {invitation.role} with {invitation.email}. The link works once and expires on{" "}
              {invitation.expiresAt.toUTCString()}.
            </p>
          </div>
          <AcceptInvitationForm token={token} email={invitation.email} hasAccount={invitation.hasAccount} />
        </>
      )}
    </main>
  );
}
