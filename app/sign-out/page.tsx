import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { currentUser } from "@/server/auth/session";

export const metadata: Metadata = { title: "Sign out" };

export default async function SignOutPage() {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-4 px-6">
      <h1 className="text-2xl font-semibold tracking-tight">Sign out</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">You are signed in as {user.email}.</p>
      <SignOutButton variant="primary" />
    </main>
  );
}
