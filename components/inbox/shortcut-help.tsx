"use client";

import { useTranslations } from "next-intl";

/** The keyboard shortcuts of the inbox, in a dialog (press ? to open it). */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const t = useTranslations("inbox.shortcuts");
  const shortcuts = [
    ["j / k", t("move")],
    ["r", t("reply")],
    ["n", t("note")],
    ["e", t("resolve")],
    ["a", t("assign")],
    ["/", t("search")],
    ["Enter / Shift+Enter", t("send")],
    ["?", t("help")],
  ];
  return (
    <div className="fixed inset-0 z-10 flex items-center justify-center bg-black/40" onClick={onClose}>
      <div role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" className="w-80 rounded-xl bg-white p-5 shadow-xl dark:bg-slate-900" onClick={(event) => event.stopPropagation()}>
        <h2 id="shortcuts-title" className="mb-3 font-semibold">
          {t("title")}
        </h2>
        <dl className="space-y-1.5 text-sm">
          {shortcuts.map(([keys, what]) => (
            <div key={keys} className="flex justify-between gap-3">
              <dt>
                <kbd className="rounded border border-slate-300 px-1.5 font-mono text-xs dark:border-slate-700">{keys}</kbd>
              </dt>
              <dd className="text-slate-600 dark:text-slate-300">{what}</dd>
            </div>
          ))}
        </dl>
        <button className="mt-4 w-full rounded-lg bg-slate-900 py-1.5 text-sm text-white dark:bg-slate-100 dark:text-slate-900" onClick={onClose} autoFocus>
          {t("close")}
        </button>
      </div>
    </div>
  );
}
