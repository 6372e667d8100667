"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { apiError } from "@/components/settings/api-error";
import { Section } from "@/components/settings/settings-form-shell";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useTRPC } from "@/lib/trpc/client";
import { passwordSchema } from "@/lib/validation";

type Values = { currentPassword: string; newPassword: string; confirm: string };
const empty: Values = { currentPassword: "", newPassword: "", confirm: "" };

/**
 * Current password, new one twice. The new one is checked as it is typed with
 * the rules the server applies (passwordSchema); what only the server can tell
 * (a wrong current password, too many of them) comes back next to its field.
 */
export function ChangePasswordForm() {
  const t = useTranslations("account.password");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(empty);
  const [touched, setTouched] = useState<Partial<Record<keyof Values, boolean>>>({});
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: () => {
        setValues(empty);
        setTouched({});
        void queryClient.invalidateQueries(trpc.account.sessions.pathFilter());
      },
    }),
  );
  const failure = apiError(change.error);
  const retryAfterSeconds = (change.error?.data as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;

  /** The problem with each field as it stands, in this page's language; zod's issue codes, not its English. */
  const problems = (input: Values): Partial<Record<keyof Values, string>> => {
    const issue = passwordSchema.safeParse(input.newPassword).error?.issues[0];
    return {
      currentPassword: input.currentPassword ? undefined : t("currentRequired"),
      newPassword:
        issue?.code === "too_small"
          ? t("tooShort", { min: Number(issue.minimum) })
          : issue?.code === "too_big"
            ? t("tooLong", { max: Number(issue.maximum) })
            : input.newPassword === input.currentPassword
              ? t("same")
              : undefined,
      confirm: input.confirm === input.newPassword ? undefined : t("mismatch"),
    };
  };
  const shown = problems(values);
  const errorOf = (field: keyof Values) => {
    if (touched[field] && shown[field]) return shown[field];
    const fromServer = failure?.fieldErrors[field]?.[0];
    if (!fromServer) return undefined;
    return field === "currentPassword" ? t("wrongCurrent") : fromServer;
  };

  const set = (field: keyof Values) => (event: { target: { value: string } }) => {
    setValues((current) => ({ ...current, [field]: event.target.value }));
    setTouched((current) => ({ ...current, [field]: true }));
    if (change.isError || change.isSuccess) change.reset();
  };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTouched({ currentPassword: true, newPassword: true, confirm: true });
    if (Object.values(problems(values)).some(Boolean)) return;
    change.mutate({ currentPassword: values.currentPassword, newPassword: values.newPassword });
  }

  return (
    <Section title={t("title")} description={t("description")}>
      <form onSubmit={onSubmit} className="flex max-w-md flex-col gap-3" noValidate>
        <Field
          label={t("current")}
          type="password"
          autoComplete="current-password"
          value={values.currentPassword}
          onChange={set("currentPassword")}
          error={errorOf("currentPassword")}
          required
        />
        <Field
          label={t("new")}
          type="password"
          autoComplete="new-password"
          value={values.newPassword}
          onChange={set("newPassword")}
          hint={t("newHint")}
          error={errorOf("newPassword")}
          required
        />
        <Field label={t("confirm")} type="password" autoComplete="new-password" value={values.confirm} onChange={set("confirm")} error={errorOf("confirm")} required />
        {failure?.code === "TOO_MANY_REQUESTS" ? (
          <Alert tone="error">{t("rateLimited", { seconds: retryAfterSeconds ?? 60 })}</Alert>
        ) : failure && Object.keys(failure.fieldErrors).length === 0 ? (
          <Alert tone="error">{failure.message}</Alert>
        ) : null}
        {change.data ? <Alert tone="success">{t("changed", { count: change.data.sessionsEnded })}</Alert> : null}
        <Button type="submit" className="self-start" disabled={change.isPending}>
          {change.isPending ? t("submitting") : t("submit")}
        </Button>
      </form>
    </Section>
  );
}
