"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import { CopyButton } from "./copy-button";

/** The widget's embed snippet in a read-only code box (focus selects it all) with a Copy button. */
export function SnippetBox({ snippet }: { snippet: string }) {
  const t = useTranslations("settings.channels.widget");
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
        {t("snippet")}
      </label>
      <textarea
        id={id}
        readOnly
        value={snippet}
        rows={Math.min(8, Math.max(2, snippet.split("\n").length))}
        spellCheck={false}
        aria-describedby={`${id}-hint`}
        onFocus={(event) => event.target.select()}
        className="w-full resize-y rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-900 outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
      />
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        {t("snippetHint")}
      </p>
      <CopyButton text={snippet} label={t("copySnippet")} />
    </div>
  );
}
