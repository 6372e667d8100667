"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useId, useState, type FormEvent } from "react";
import { parseMessage } from "@/lib/templates/parse-message";
import { resolveVariant } from "@/lib/templates/render";
import { templateDraftSchema, templateKinds, type TemplateDraft } from "@/lib/templates/schema";
import { useTRPC } from "@/lib/trpc/client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field, SelectField } from "@/components/ui/field";
import { apiError } from "./api-error";

type Draft = { key: string; kind: (typeof templateKinds)[number]; description: string; published: boolean; variants: { locale: string; body: string }[] };

export const emptyDraft = (locale: string): Draft => ({ key: "", kind: "canned", description: "", published: false, variants: [{ locale, body: "" }] });

/** Errors by field ("key", "variants.0.body"), as the server names them too. */
function validate(draft: Draft): Record<string, string> {
  const errors: Record<string, string> = {};
  const parsed = templateDraftSchema.safeParse(draft satisfies TemplateDraft);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path.join(".") || "template"] ??= issue.message;
  draft.variants.forEach((variant, index) => {
    if (!variant.body.trim()) return;
    const message = parseMessage(variant.body);
    if (!message.ok) errors[`variants.${index}.body`] ??= message.problem.message;
  });
  return errors;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The preview: the text a customer with this locale gets, with sample values for the variables. */
function TemplatePreview({ draft, defaultLocale }: { draft: Draft; defaultLocale: string }) {
  const t = useTranslations("settings.templates");
  const trpc = useTRPC();
  const [locale, setLocale] = useState(draft.variants[0]?.locale ?? defaultLocale);
  const [samples, setSamples] = useState<Record<string, string>>({ firstName: "Anna", name: "Anna Petrova", username: "anna", agentName: "Sam", count: "3" });
  const usable = draft.variants.filter((variant) => variant.body.trim() && parseMessage(variant.body).ok);
  const chosen = resolveVariant(usable, locale, defaultLocale);
  const request = useDebounced(chosen ? { body: chosen.variant.body, locale: chosen.variant.locale, variables: samples } : null, 250);
  const preview = useQuery({ ...trpc.templates.preview.queryOptions(request ?? { body: "", locale: "en", variables: {} }), enabled: request !== null, placeholderData: (previous) => previous, retry: false });
  const failure = apiError(preview.error);
  return (
    <section aria-label={t("preview")} className="flex flex-col gap-3 rounded-xl border border-slate-200 p-4 dark:border-slate-800">
      <h3 className="text-sm font-semibold">{t("preview")}</h3>
      <Field label={t("previewLocale")} value={locale} onChange={(event) => setLocale(event.target.value.trim())} hint={t("previewLocaleHint")} />
      {chosen ? (
        <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="preview-fallback">
          {t(`fallback.${chosen.fallback}`, { locale: chosen.variant.locale, wanted: locale || "—", defaultLocale })}
        </p>
      ) : (
        <p className="text-xs text-slate-500">{t("previewNothing")}</p>
      )}
      {(preview.data?.variables ?? []).map((name) => (
        <Field key={name} label={t("sample", { name })} value={samples[name] ?? ""} onChange={(event) => setSamples({ ...samples, [name]: event.target.value })} />
      ))}
      {failure ? <Alert tone="error">{failure.message}</Alert> : null}
      {preview.data && chosen ? (
        <div className="flex flex-col gap-2">
          <div className="whitespace-pre-wrap rounded-2xl rounded-bl-sm bg-slate-100 px-4 py-2 text-sm dark:bg-slate-800" data-testid="preview-text">
            {preview.data.text}
          </div>
          {preview.data.missing.length > 0 ? (
            <p className="text-xs text-amber-700 dark:text-amber-400" role="status">
              {t("missing", { names: preview.data.missing.join(", ") })}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** Create or edit one template: key, kind, its text per language, and a live preview. */
export function TemplateEditor({
  templateId,
  initial,
  updatedAt,
  defaultLocale,
  onSaved,
  onDeleted,
}: {
  templateId: string | null;
  initial: Draft;
  updatedAt: Date | null;
  defaultLocale: string;
  onSaved: (id: string) => void;
  onDeleted: () => void;
}) {
  const t = useTranslations("settings.templates");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formId = useId();
  const [draft, setDraft] = useState(initial);
  // What this edit started from: a save by someone else meanwhile makes ours a CONFLICT rather than overwrite it.
  const [base, setBase] = useState({ draft: initial, updatedAt });
  const [active, setActive] = useState(0);
  const [newLocale, setNewLocale] = useState("");
  const refresh = () => void queryClient.invalidateQueries(trpc.templates.pathFilter());
  const save = useMutation(
    trpc.templates.upsert.mutationOptions({
      onSuccess: (saved) => {
        setBase({ draft: { ...draft, key: saved.key, description: saved.description ?? "" }, updatedAt: saved.updatedAt });
        refresh();
        onSaved(saved.id);
      },
    }),
  );
  const remove = useMutation(trpc.templates.delete.mutationOptions({ onSuccess: () => (refresh(), onDeleted()) }));
  const errors = validate(draft);
  const failure = apiError(save.error ?? remove.error);
  const serverErrors = Object.fromEntries(Object.entries(failure?.fieldErrors ?? {}).map(([field, messages]) => [field, messages[0]!]));
  const shown = { ...serverErrors, ...errors };
  const variant = draft.variants[active] ?? draft.variants[0]!;
  const dirty = JSON.stringify(draft) !== JSON.stringify(base.draft);
  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    save.reset();
  };
  const localeError = newLocale && (!/^[a-z]{2,3}(-[A-Z]{2})?$/.test(newLocale) ? t("localeFormat") : draft.variants.some((item) => item.locale === newLocale) ? t("localeExists") : undefined);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (Object.keys(errors).length > 0) return;
    save.mutate({ ...(templateId ? { id: templateId } : {}), ...draft, description: draft.description || null, ...(base.updatedAt ? { expectedUpdatedAt: base.updatedAt } : {}) });
  }

  return (
    <div className="flex flex-col gap-6">
      <form id={formId} onSubmit={onSubmit} className="flex flex-col gap-4" noValidate aria-label={templateId ? t("editTitle", { key: base.draft.key }) : t("newTitle")}>
        <h3 className="text-base font-semibold">{templateId ? t("editTitle", { key: base.draft.key }) : t("newTitle")}</h3>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label={t("key")} hint={t("keyHint")} value={draft.key} onChange={(event) => change({ key: event.target.value })} error={shown.key} spellCheck={false} />
          <SelectField label={t("kind")} value={draft.kind} onChange={(event) => change({ kind: event.target.value as Draft["kind"] })} hint={t(`kindHint.${draft.kind}`)}>
            {templateKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kinds.${kind}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <Field label={t("descriptionLabel")} value={draft.description} maxLength={500} onChange={(event) => change({ description: event.target.value })} error={shown.description} />
        {draft.kind === "public" ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4" checked={draft.published} onChange={(event) => change({ published: event.target.checked })} />
            {t("published")}
          </label>
        ) : null}
        <div>
          <div role="tablist" aria-label={t("languages")} className="flex flex-wrap items-center gap-1 border-b border-slate-200 dark:border-slate-800">
            {draft.variants.map((item, index) => {
              const broken = shown[`variants.${index}.body`] || shown[`variants.${index}.locale`];
              return (
                <button
                  key={item.locale + index}
                  type="button"
                  role="tab"
                  aria-selected={index === active}
                  onClick={() => setActive(index)}
                  className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${index === active ? "border-brand-600 font-medium" : "border-transparent text-slate-600 dark:text-slate-400"} ${broken ? "text-red-600 dark:text-red-400" : ""}`}
                >
                  {item.locale}
                  {broken ? " ⚠" : ""}
                </button>
              );
            })}
            <span className="ml-auto flex items-center gap-1 py-1">
              <label className="sr-only" htmlFor={`${formId}-locale`}>
                {t("addLanguage")}
              </label>
              <input
                id={`${formId}-locale`}
                placeholder="ru, pt-BR…"
                value={newLocale}
                onChange={(event) => setNewLocale(event.target.value.trim())}
                aria-invalid={localeError ? true : undefined}
                className="w-24 rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm aria-[invalid]:border-red-500 dark:border-slate-700 dark:bg-slate-900"
              />
              <Button
                type="button"
                variant="secondary"
                className="px-3 py-1"
                disabled={!newLocale || Boolean(localeError)}
                onClick={() => {
                  change({ variants: [...draft.variants, { locale: newLocale, body: "" }] });
                  setActive(draft.variants.length);
                  setNewLocale("");
                }}
              >
                {t("addLanguage")}
              </Button>
            </span>
          </div>
          {localeError ? <p className="mt-1 text-sm text-red-600 dark:text-red-400">{localeError}</p> : null}
          <div role="tabpanel" className="mt-3 flex flex-col gap-2">
            <label htmlFor={`${formId}-body`} className="text-sm font-medium text-slate-700 dark:text-slate-300">
              {t("body", { locale: variant.locale })}
            </label>
            <textarea
              id={`${formId}-body`}
              rows={6}
              value={variant.body}
              maxLength={4000}
              aria-invalid={shown[`variants.${active}.body`] ? true : undefined}
              aria-describedby={`${formId}-body-help`}
              onChange={(event) => change({ variants: draft.variants.map((item, index) => (index === active ? { ...item, body: event.target.value } : item)) })}
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm aria-[invalid]:border-red-500 dark:border-slate-700 dark:bg-slate-900"
            />
            <p id={`${formId}-body-help`} className={shown[`variants.${active}.body`] ? "text-sm text-red-600 dark:text-red-400" : "text-xs text-slate-500"}>
              {shown[`variants.${active}.body`] ?? t("bodyHint")}
            </p>
            {draft.variants.length > 1 ? (
              <button
                type="button"
                className="self-start text-xs text-slate-500 underline"
                onClick={() => {
                  change({ variants: draft.variants.filter((_, index) => index !== active) });
                  setActive(0);
                }}
              >
                {t("removeLanguage", { locale: variant.locale })}
              </button>
            ) : null}
          </div>
          {shown.variants ? <p className="mt-1 text-sm text-red-600 dark:text-red-400">{shown.variants}</p> : null}
        </div>
        {failure && (failure.code === "CONFLICT" || Object.keys(failure.fieldErrors).length === 0) ? <Alert tone="error">{failure.message}</Alert> : null}
        {save.isSuccess && !dirty ? <Alert tone="success">{t("saved")}</Alert> : null}
        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" disabled={save.isPending || Object.keys(errors).length > 0 || (!dirty && templateId !== null)}>
            {save.isPending ? t("saving") : templateId ? t("save") : t("create")}
          </Button>
          {templateId ? (
            <ConfirmButton
              variant="danger"
              label={t("delete")}
              title={t("deleteTitle", { key: base.draft.key })}
              description={t("deleteDescription")}
              confirmLabel={t("delete")}
              disabled={remove.isPending}
              onConfirm={() => remove.mutate({ id: templateId })}
            />
          ) : null}
        </div>
      </form>
      <TemplatePreview draft={draft} defaultLocale={defaultLocale} />
    </div>
  );
}
