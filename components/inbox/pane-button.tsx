import type { ReactNode } from "react";

/**
 * A phone-only icon button of the inbox's panes (back, contact details): a
 * 44 × 44 touch target, gone from 768 px up where every pane is on screen.
 */
export function PaneButton({ label, onClick, children }: { label: string; onClick: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="flex size-11 shrink-0 items-center justify-center rounded-lg text-slate-700 outline-none hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-sky-500 md:hidden dark:text-slate-200 dark:hover:bg-slate-800"
    >
      {children}
    </button>
  );
}
