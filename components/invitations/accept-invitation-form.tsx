"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/client";

/**
 * Signed in as the invitee: one button joins. Signed out: a new account (name,
 * password) joins and is signed in at once; an address that has an account is
 * sent to sign in first. `next` was checked on the server (lib/safe-redirect.ts).
 */
export function AcceptInvitationForm({ token, email, signedIn, next, signInUrl }: { token: string; email: string; signedIn: boolean; next: string; signInUrl: string }) {
  const t = useTranslations("invite");
  const trpc = useTRPC();
  const router = useRouter();
  const [mismatch, setMismatch] = useState<string>();
  const [password, setPassword] = useState("");
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: async (joined) => {
        if (!joined.signedIn) {
          const session = await signIn("credentials", { email: joined.email, password, redirect: false }).catch(() => undefined);
          if (!session || session.error) {
            router.push(`/sign-in?${new URLSearchParams({ callbackUrl: next, email: joined.email, notice: "joined" }).toString()}`);
            return;
          }
        }
        router.replace(next);
        router.refresh();
      },
    }),
  );
  const fieldErrors = accept.error?.data?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const mustSignIn = accept.error?.data?.reason === "sign_in_to_accept";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (signedIn) return accept.mutate({ token });
    const form = new FormData(event.currentTarget);
    const chosen = String(form.get("password") ?? "");
    if (chosen !== String(form.get("confirm") ?? "")) return setMismatch(t("mismatch"));
    setMismatch(undefined);
    setPassword(chosen);
    accept.mutate({ token, name: String(form.get("name") ?? ""), password: chosen });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      {mustSignIn ? (
        <Alert tone="error">
          {t("signInRequired", { email })}{" "}
          <Link href={signInUrl} className="font-semibold underline">
            {t("signInToAccept")}
          </Link>
        </Alert>
      ) : accept.error && !fieldErrors ? (
        <Alert tone="error">{accept.error.message[0]!.toUpperCase() + accept.error.message.slice(1)}</Alert>
      ) : null}
      {signedIn ? (
        <p className="text-sm">{t("joinAs", { email })}</p>
      ) : (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {t("haveAccount", { email })}{" "}
            <Link href={signInUrl} className="font-medium text-brand-700 underline dark:text-brand-400">
              {t("signInToAccept")}
            </Link>
          </p>
          <p className="text-sm font-medium">{t("createAccount")}</p>
          <Field label={t("email")} value={email} readOnly disabled />
          <Field label={t("name")} name="name" autoComplete="name" required maxLength={100} error={fieldErrors?.name?.[0]} />
          <Field
            label={t("password")}
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            hint={t("passwordHint")}
            error={fieldErrors?.password?.[0]}
          />
          <Field label={t("confirm")} name="confirm" type="password" autoComplete="new-password" required error={mismatch} />
        </>
      )}
      <Button type="submit" disabled={accept.isPending}>
        {accept.isPending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
