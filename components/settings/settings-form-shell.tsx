"use client";

import { useTranslations } from "next-intl";
import type { FormEvent, ReactNode } from "react";
import type { SettingKey, SettingSource } from "@/lib/settings/schema";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import type { SettingsForm } from "./use-settings-form";

/** Loading, load failure, the form, and its save bar with what happened to the last save. */
export function SettingsFormShell<K extends SettingKey>({
  form,
  children,
  confirm,
}: {
  form: SettingsForm<K>;
  children: ReactNode;
  /** When set, saving asks first (a change that deletes data). */
  confirm?: { title: string; description: ReactNode; confirmLabel: string } | null;
}) {
  const t = useTranslations("common");
  if (form.query.isPending) return <p className="text-sm text-slate-500" role="status">{t("loading")}</p>;
  if (form.query.isError || !form.values) {
    return (
      <Alert tone="error">
        {t("loadFailed")} <button type="button" className="underline" onClick={() => void form.query.refetch()}>{t("retry")}</button>
      </Alert>
    );
  }
  const invalid = Object.keys(form.errors).length > 0;
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    form.save();
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-6" noValidate>
      {children}
      {form.formError ? (
        <Alert tone="error">
          {form.formError.code === "CONFLICT" ? t("conflict") : form.formError.message}{" "}
          {form.formError.code === "CONFLICT" ? (
            <button type="button" className="font-medium underline" onClick={() => void form.reload()}>
              {t("reload")}
            </button>
          ) : null}
        </Alert>
      ) : null}
      <div className="sticky bottom-0 flex items-center gap-3 border-t border-slate-200 bg-white/90 py-3 backdrop-blur dark:border-slate-800 dark:bg-slate-950/90">
        {confirm ? (
          <ConfirmButton variant="danger" label={t("save")} title={confirm.title} description={confirm.description} confirmLabel={confirm.confirmLabel} disabled={form.saving || invalid} onConfirm={form.save} />
        ) : (
          <Button type="submit" disabled={!form.dirty || form.saving || invalid}>
            {form.saving ? t("saving") : t("save")}
          </Button>
        )}
        {form.dirty ? (
          <Button type="button" variant="secondary" onClick={form.discard} disabled={form.saving}>
            {t("discard")}
          </Button>
        ) : null}
        <span role="status" className="text-sm text-slate-600 dark:text-slate-400">
          {form.saved ? t("saved") : invalid ? t("fixErrors") : form.dirty ? t("unsaved") : ""}
        </span>
      </div>
    </form>
  );
}

/** Where a setting's value comes from, and a way back to the default when it is the workspace's own. */
export function SettingSourceNote<K extends SettingKey>({ form, setting }: { form: SettingsForm<K>; setting: K }) {
  const t = useTranslations("common");
  const source: SettingSource | undefined = form.sources?.[setting];
  if (!source) return null;
  return (
    <p className="flex flex-wrap items-center gap-2 text-xs text-slate-500" data-testid={`source-${setting}`}>
      <span className="rounded-full bg-slate-100 px-2 py-0.5 dark:bg-slate-800">
        {source === "environment" ? t("sourceEnvironment", { environment: form.environment ?? "" }) : source === "workspace" ? t("sourceWorkspace") : t("sourceBuiltIn")}
      </span>
      {source === "workspace" && setting !== "name" ? (
        <button type="button" className="underline hover:text-slate-700 dark:hover:text-slate-300" onClick={() => form.resetToDefault(setting)} disabled={form.saving}>
          {t("resetToDefault")}
        </button>
      ) : null}
    </p>
  );
}

export function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section aria-label={title} className="rounded-xl border border-slate-200 p-5 dark:border-slate-800">
      <h3 className="text-base font-semibold">{title}</h3>
      {description ? <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{description}</p> : null}
      <div className="mt-4 flex flex-col gap-4">{children}</div>
    </section>
  );
}

/** An error under a control, tied to it by id for screen readers. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-red-600 dark:text-red-400">
      {message}
    </p>
  );
}
