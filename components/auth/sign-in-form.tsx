"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/** What went wrong, as a message key and its values, from the error code Auth.js reports. */
function problemOf(error: string): { key: "rateLimited" | "wrongCredentials" | "unavailable"; seconds?: number } {
  const limited = /^RateLimited:(\d{1,6})$/.exec(error);
  if (limited) return { key: "rateLimited", seconds: Number(limited[1]) };
  if (error === "CredentialsSignin") return { key: "wrongCredentials" };
  return { key: "unavailable" };
}

export function SignInForm({ callbackUrl, initialEmail, initialError }: { callbackUrl: string; initialEmail?: string; initialError?: string }) {
  const t = useTranslations("auth.signIn");
  const router = useRouter();
  const [error, setError] = useState(initialError ? problemOf(initialError) : undefined);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    }).catch(() => undefined);
    if (!result || result.error) {
      setPending(false);
      setError(problemOf(result?.error ?? "unavailable"));
      return;
    }
    // Checked on the server (lib/safe-redirect.ts) before it reached this form.
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate={false}>
      {error ? <Alert tone="error">{t(error.key, { seconds: error.seconds ?? 0 })}</Alert> : null}
      <Field label={t("email")} name="email" type="email" autoComplete="username" required defaultValue={initialEmail} autoFocus />
      <Field label={t("password")} name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
