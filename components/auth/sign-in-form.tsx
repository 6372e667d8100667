"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

function messageFor(error: string): string {
  const limited = /^RateLimited:(\d+)/.exec(error);
  if (limited) return `Too many failed attempts. Try again in ${limited[1]} seconds.`;
  if (error === "CredentialsSignin") return "Wrong email or password.";
  return "Sign-in is not available right now. Try again in a moment.";
}

export function SignInForm({ callbackUrl, initialEmail, initialError }: { callbackUrl: string; initialEmail?: string; initialError?: string }) {
  const router = useRouter();
  const [error, setError] = useState(initialError ? messageFor(initialError) : undefined);
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
      setError(messageFor(result?.error ?? "unavailable"));
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate={false}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field label="Email" name="email" type="email" autoComplete="username" required defaultValue={initialEmail} autoFocus />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
