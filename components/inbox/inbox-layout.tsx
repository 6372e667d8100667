import type { ReactNode } from "react";
import type { Pane } from "./use-mobile-pane";

/**
 * The inbox's panes. From 768 px up they stand side by side (the contact panel
 * from 1280 px, see ContactPanel); below, only `pane` is on screen, full width.
 */
export function InboxLayout(props: { pane: Pane; list: ReactNode; thread: ReactNode; contact: ReactNode; listLabel: string; threadLabel: string }) {
  // The contact panel asked for before its conversation has loaded: the thread until it has.
  const pane = props.pane === "contact" && !props.contact ? "thread" : props.pane;
  const onPhone = (which: Pane) => (pane === which ? "" : "max-md:hidden");
  return (
    <div className="flex min-h-0 flex-1" data-pane={pane}>
      <aside
        className={`flex w-80 shrink-0 flex-col border-r border-slate-200 bg-white max-lg:w-72 max-md:w-full max-md:border-r-0 dark:border-slate-800 dark:bg-slate-900 ${onPhone("list")}`}
        aria-label={props.listLabel}
      >
        {props.list}
      </aside>
      <main className={`flex min-w-0 flex-1 flex-col ${onPhone("thread")}`} aria-label={props.threadLabel}>
        {props.thread}
      </main>
      {props.contact ? <div className={`contents ${onPhone("contact")}`}>{props.contact}</div> : null}
    </div>
  );
}
