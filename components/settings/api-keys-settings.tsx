"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { apiScopes, defaultApiScopes, type ApiScope } from "@/lib/api-scopes";
import { apiKeyNameSchema } from "@/lib/validation";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field } from "@/components/ui/field";
import { apiError } from "./api-error";
import { QueryStatus } from "./query-status";
import { Section } from "./settings-form-shell";

function CreateKeyForm() {
  const t = useTranslations("settings.apiKeys");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiScope[]>(defaultApiScopes);
  const [touched, setTouched] = useState(false);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: () => {
        setName("");
        setTouched(false);
        void queryClient.invalidateQueries(trpc.apiKeys.list.pathFilter());
      },
    }),
  );
  const failure = apiError(create.error);
  const nameError = touched ? apiKeyNameSchema.safeParse(name).error?.issues[0]?.message : undefined;
  const scopesError = scopes.length === 0 ? t("scopeNeeded") : undefined;
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!apiKeyNameSchema.safeParse(name).success || scopes.length === 0) return;
    create.mutate({ name, scopes });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      <Field label={t("name")} hint={t("nameHint")} value={name} maxLength={80} onChange={(event) => setName(event.target.value)} onBlur={() => setTouched(true)} error={nameError ?? failure?.fieldErrors.name?.[0]} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t("scopes")}</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {apiScopes.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-0.5 size-4"
                checked={scopes.includes(scope)}
                onChange={(event) => setScopes(event.target.checked ? [...scopes, scope] : scopes.filter((candidate) => candidate !== scope))}
              />
              <span>
                <code className="font-mono text-xs">{scope}</code>
                <span className="block text-xs text-slate-500">{t(`scopeHints.${scope.replace(":", "_")}`)}</span>
              </span>
            </label>
          ))}
        </div>
        {scopesError ?? failure?.fieldErrors.scopes?.[0] ? <p className="mt-1 text-sm text-red-600 dark:text-red-400">{scopesError ?? failure?.fieldErrors.scopes?.[0]}</p> : null}
      </fieldset>
      {failure && Object.keys(failure.fieldErrors).length === 0 ? <Alert tone="error">{failure.message}</Alert> : null}
      {create.data ? (
        <Alert tone="success">
          <span className="flex flex-col gap-2">
            <span>{t("created", { name: create.data.name })}</span>
            <input readOnly aria-label={t("newKey")} value={create.data.key} className="w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs text-slate-900" onFocus={(event) => event.target.select()} />
            <Button type="button" variant="secondary" className="self-start px-3 py-1" onClick={() => void navigator.clipboard?.writeText(create.data!.key)}>
              {t("copy")}
            </Button>
          </span>
        </Alert>
      ) : null}
      <Button type="submit" className="self-start" disabled={create.isPending}>
        {create.isPending ? t("creating") : t("create")}
      </Button>
    </form>
  );
}

export function ApiKeysSettings() {
  const t = useTranslations("settings.apiKeys");
  const format = useFormatter();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.apiKeys.list.queryOptions());
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSettled: () => void queryClient.invalidateQueries(trpc.apiKeys.list.pathFilter()) }));
  const failure = apiError(revoke.error);
  return (
    <div className="flex flex-col gap-6">
      <Section title={t("createTitle")} description={t("createDescription")}>
        <CreateKeyForm />
      </Section>
      <Section title={t("listTitle")}>
        {failure ? <Alert tone="error">{failure.message}</Alert> : null}
        <QueryStatus query={list} loading={t("loading")} failed={t("loadFailed")} empty={list.data?.length === 0 && t("empty")} />
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {list.data?.map((key) => (
            <li key={key.id} className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm" data-testid="api-key-row">
              <span className="min-w-0 [overflow-wrap:anywhere]">
                <span className="font-medium">{key.name}</span> <code className="font-mono text-xs text-slate-500">{key.prefix}…</code>
                <span className="block text-xs text-slate-500">
                  {key.scopes.join(", ")} ·{" "}
                  {t("createdBy", { when: format.dateTime(key.createdAt, { dateStyle: "medium" }), who: key.createdBy?.name ?? "—" })} ·{" "}
                  {key.lastUsedAt ? t("lastUsed", { when: format.relativeTime(key.lastUsedAt) }) : t("neverUsed")}
                </span>
              </span>
              {key.revokedAt ? (
                <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">
                  {t("revokedAt", { when: format.dateTime(key.revokedAt, { dateStyle: "medium" }) })}
                </span>
              ) : (
                <ConfirmButton
                  variant="danger"
                  label={t("revoke")}
                  title={t("revokeTitle", { name: key.name })}
                  description={t("revokeDescription")}
                  confirmLabel={t("revoke")}
                  disabled={revoke.isPending}
                  onConfirm={() => revoke.mutate({ id: key.id })}
                />
              )}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
