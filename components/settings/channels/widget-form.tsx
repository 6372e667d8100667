"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ApiErrorInfo } from "../api-error";
import { Choice } from "../choice";
import { defaultWidgetColor, isHexColor, originErrors, originLines, widgetInput, type OriginLine, type WidgetDraft } from "./widget-draft";
import { OriginsField } from "./origins-field";
import { WidgetPreview } from "./widget-preview";

export type WidgetInput = ReturnType<typeof widgetInput>;

/** Fields the form shows errors at; the server's errors about any other field go in one alert. */
const shownFields = new Set(["name", "color", "position", "greeting", "requireIdentity", "preChat"]);

/**
 * The widget's settings (create and edit alike), with a live preview beside
 * them. The server's errors are shown at their fields, the origins' at their
 * lines (as sent, even if the box changed since).
 */
export function WidgetForm({
  initial,
  submitLabel,
  pendingLabel,
  pending,
  failure,
  failureText,
  onSubmit,
  children,
}: {
  initial: WidgetDraft;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  failure: ApiErrorInfo | null;
  /** The alert for a failure no field explains. */
  failureText: (message: string) => string;
  onSubmit: (input: WidgetInput) => void;
  /** More buttons next to the submit button (Cancel). */
  children?: ReactNode;
}) {
  const t = useTranslations("settings.channels.widget");
  const [draft, setDraft] = useState(initial);
  const [sent, setSent] = useState<OriginLine[]>([]);
  const [touched, setTouched] = useState(false);
  const id = useId();
  const set = <K extends keyof WidgetDraft>(key: K, value: WidgetDraft[K]) => setDraft((current) => ({ ...current, [key]: value }));

  const nameError = touched && !draft.name.trim() ? t("nameRequired") : undefined;
  const colorError = isHexColor(draft.color) ? undefined : t("colorFormat");
  const fieldErrors = failure?.fieldErrors ?? {};
  const origins = originErrors(fieldErrors, sent);
  const unexplained = failure && Object.keys(fieldErrors).length === 0;
  const otherFieldErrors = Object.entries(fieldErrors).filter(([field]) => !shownFields.has(field) && !field.startsWith("allowedOrigins"));

  function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!draft.name.trim() || colorError) return;
    const lines = originLines(draft.origins);
    setSent(lines);
    onSubmit(widgetInput(draft, lines));
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
      <div className="flex flex-col gap-4">
        <Field label={t("name")} hint={t("nameHint")} value={draft.name} maxLength={80} onChange={(event) => set("name", event.target.value)} onBlur={() => setTouched(true)} error={nameError ?? fieldErrors.name?.[0]} />
        <OriginsField value={draft.origins} onChange={(value) => set("origins", value)} lineErrors={origins.lines} listErrors={origins.list} />
        <div className="flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1">
            <label htmlFor={`${id}-swatch`} className="text-sm font-medium text-slate-700 dark:text-slate-300">
              {t("color")}
            </label>
            <input
              id={`${id}-swatch`}
              type="color"
              value={isHexColor(draft.color) ? draft.color.toLowerCase() : defaultWidgetColor}
              onChange={(event) => set("color", event.target.value)}
              className="h-10 w-14 cursor-pointer rounded-lg border border-slate-300 bg-white p-1 dark:border-slate-700 dark:bg-slate-900"
            />
          </div>
          <div className="w-40">
            <Field label={t("colorHex")} value={draft.color} maxLength={7} spellCheck={false} autoCapitalize="off" onChange={(event) => set("color", event.target.value.trim())} error={colorError ?? fieldErrors.color?.[0]} />
          </div>
        </div>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium text-slate-700 dark:text-slate-300">{t("position")}</legend>
          <div className="flex flex-wrap gap-6">
            {(["right", "left"] as const).map((position) => (
              <Choice key={position} name={`${id}-position`} checked={draft.position === position} onChange={() => set("position", position)} label={t(`positions.${position}`)} />
            ))}
          </div>
          {fieldErrors.position?.[0] ? <p className="text-sm text-red-600 dark:text-red-400">{fieldErrors.position[0]}</p> : null}
        </fieldset>
        <GreetingField value={draft.greeting} onChange={(value) => set("greeting", value)} error={fieldErrors.greeting?.[0]} />
        <Toggle checked={draft.requireIdentity} onChange={(value) => set("requireIdentity", value)} label={t("requireIdentity")} hint={t("requireIdentityHint")} error={fieldErrors.requireIdentity?.[0]} />
        <Toggle checked={draft.preChat} onChange={(value) => set("preChat", value)} label={t("preChat")} hint={t("preChatHint")} error={fieldErrors.preChat?.[0]} />
        {unexplained ? <Alert tone="error">{failureText(failure.message)}</Alert> : null}
        {otherFieldErrors.length > 0 ? (
          <Alert tone="error">
            {otherFieldErrors.map(([field, messages]) => (
              <span key={field} className="block">
                {field}: {messages.join(" ")}
              </span>
            ))}
          </Alert>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? pendingLabel : submitLabel}
          </Button>
          {children}
        </div>
      </div>
      <WidgetPreview color={draft.color} position={draft.position} greeting={draft.greeting} preChat={draft.preChat} />
    </form>
  );
}

function GreetingField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  const t = useTranslations("settings.channels.widget");
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
        {t("greeting")}
      </label>
      <textarea
        id={id}
        value={value}
        rows={2}
        maxLength={500}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-${error ? "error" : "hint"}`}
        className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 aria-[invalid]:border-red-500 dark:border-slate-700 dark:bg-slate-900"
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {t("greetingHint")}
        </p>
      )}
    </div>
  );
}

/** A checkbox with its explanation (and error) under it, tied to it for screen readers. */
function Toggle({ checked, onChange, label, hint, error }: { checked: boolean; onChange: (checked: boolean) => void; label: string; hint: string; error?: string }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2 text-sm">
      <input id={id} type="checkbox" className="mt-0.5 size-4" checked={checked} onChange={(event) => onChange(event.target.checked)} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`} aria-invalid={error ? true : undefined} />
      <div className="flex flex-col gap-0.5">
        <label htmlFor={id} className="font-medium">
          {label}
        </label>
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
        {error ? (
          <p id={`${id}-error`} className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
