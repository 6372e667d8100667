"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/client";

export function AcceptInvitationForm({ token, email, hasAccount }: { token: string; email: string; hasAccount: boolean }) {
  const t = useTranslations("invite");
  const trpc = useTRPC();
  const router = useRouter();
  const [mismatch, setMismatch] = useState<string>();
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: (joined) => {
        const params = new URLSearchParams({ callbackUrl: `/t/${joined.tenant.slug}`, email: joined.email, joined: joined.tenant.name });
        router.push(`/sign-in?${params.toString()}`);
      },
    }),
  );
  const fieldErrors = accept.error?.data?.fieldErrors as Record<string, string[] | undefined> | undefined;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (hasAccount) return accept.mutate({ token });
    const form = new FormData(event.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) return setMismatch(t("mismatch"));
    setMismatch(undefined);
    accept.mutate({ token, name: String(form.get("name") ?? ""), password });
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4">
      {accept.error && !fieldErrors ? <Alert tone="error">{accept.error.message[0]!.toUpperCase() + accept.error.message.slice(1)}</Alert> : null}
      {hasAccount ? (
        <p className="text-sm">{t("hasAccount", { email })}</p>
      ) : (
        <>
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
