"use client";

import { useTranslations } from "next-intl";
import type { ConversationPriority } from "@/lib/conversations/priority";

const tones: Record<ConversationPriority, string> = {
  urgent: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200",
  high: "bg-orange-100 text-orange-800 dark:bg-orange-950 dark:text-orange-200",
  medium: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  low: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
};

/** A conversation's priority as a small coloured chip; nothing when it has none. */
export function PriorityChip({ priority }: { priority: ConversationPriority | null }) {
  const t = useTranslations("inbox.priority");
  if (!priority) return null;
  return (
    <span className={`shrink-0 rounded px-1 text-[11px] font-semibold ${tones[priority]}`} title={t("label")} data-testid="priority-chip">
      {t(priority)}
    </span>
  );
}
