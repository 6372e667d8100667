"use client";

import { useCallback, useId, useRef, useState, type ReactNode } from "react";
import { useDismiss } from "@/components/ui/use-dismiss";

/**
 * The workspace header's links on a phone, behind one button: below 768 px the
 * header has room for the workspace and the account, not for its whole nav.
 * Closes on a link followed, Escape, or a tap outside.
 */
export function MobileMenu({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const panel = useId();
  useDismiss(open, root, useCallback(() => setOpen(false), []));
  return (
    <div ref={root} className="md:hidden">
      <button
        type="button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={open ? panel : undefined}
        onClick={() => setOpen((shown) => !shown)}
        className="flex size-11 items-center justify-center rounded-lg hover:bg-slate-100 dark:hover:bg-slate-800"
      >
        <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
          {open ? <path d="M6 6l12 12M18 6 6 18" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
        </svg>
      </button>
      {/* Mounted only while open: its links and language select are not a second copy of the header's for anyone to find. */}
      {open ? (
        <div
          id={panel}
          onClick={(event) => (event.target as HTMLElement).closest("a") && setOpen(false)}
          className="absolute inset-x-0 top-full z-20 border-b border-slate-200 bg-white p-2 shadow-lg dark:border-slate-800 dark:bg-slate-900"
        >
          {children}
        </div>
      ) : null}
    </div>
  );
}
