"use client";

import { useTranslations } from "next-intl";
import type { MentionPicker } from "./use-mention-picker";

/** The members "@…" matches, above the composer: a listbox the keyboard drives from the textarea. */
export function MentionList({ picker }: { picker: MentionPicker }) {
  const t = useTranslations("notifications.mentions");
  if (picker.query === null) return null;
  if (picker.candidates.length === 0) {
    return picker.query ? <p className="mb-2 text-xs text-slate-500 dark:text-slate-400">{t("noMatch", { query: picker.query })}</p> : null;
  }
  return (
    <ul role="listbox" id="mention-list" aria-label={t("picker")} data-testid="mention-picker" className="mb-2 max-h-56 overflow-y-auto rounded-lg border border-slate-200 bg-white text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
      {picker.candidates.map((member, index) => (
        <li
          key={member.userId}
          role="option"
          aria-selected={index === picker.active}
          onMouseDown={(event) => {
            event.preventDefault();
            picker.choose(member);
          }}
          className={`flex min-h-10 cursor-pointer items-center gap-2 px-3 py-1.5 ${index === picker.active ? "bg-amber-50 dark:bg-amber-950" : ""}`}
        >
          <span className="font-medium text-slate-900 dark:text-slate-100">@{member.name}</span>
          <span className="truncate text-xs text-slate-500 dark:text-slate-400">{member.email}</span>
        </li>
      ))}
    </ul>
  );
}
