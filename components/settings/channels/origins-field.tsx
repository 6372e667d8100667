"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import type { OriginError } from "./widget-draft";

/**
 * The allowed origins, one per line, with each error the server gave shown at
 * its line ("Line 2 (htp://shop): …"), all tied to the box for screen readers.
 */
export function OriginsField({ value, onChange, lineErrors, listErrors }: { value: string; onChange: (value: string) => void; lineErrors: OriginError[]; listErrors: string[] }) {
  const t = useTranslations("settings.channels.widget");
  const id = useId();
  const invalid = lineErrors.length > 0 || listErrors.length > 0;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
        {t("origins")}
      </label>
      <textarea
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        rows={4}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        placeholder="https://shop.example.com"
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-hint${invalid ? ` ${id}-errors` : ""}`}
        className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 aria-[invalid]:border-red-500 dark:border-slate-700 dark:bg-slate-900"
      />
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        {t("originsHint")}
      </p>
      {invalid ? (
        <ul id={`${id}-errors`} className="flex flex-col gap-0.5 text-sm text-red-600 dark:text-red-400" data-testid="origin-errors">
          {listErrors.map((error) => (
            <li key={error}>{error}</li>
          ))}
          {lineErrors.map((entry) => (
            <li key={`${entry.line}-${entry.error}`}>{t("originLine", { line: entry.line, origin: entry.origin, error: entry.error })}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
