"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef } from "react";

/** The inbox's panes, from the outside in: a phone shows one of them at a time. */
export type Pane = "list" | "thread" | "contact";

const PANE_PARAM = "pane";
const CONTACT = "contact";

/**
 * Which pane a phone shows, read from the URL so the browser's Back walks the
 * panes too: no conversation in the path is the list, a conversation is its
 * thread, and `?pane=contact` on it is the contact panel. Wider screens show
 * the panes side by side and never set the parameter.
 *
 * The back buttons step back in history when the page behind is the pane they
 * lead to (so Back and the button agree, and history does not grow); after a
 * deep link, or j/k from one conversation to the next, they go there instead.
 */
export function useMobilePane(slug: string, conversationId: string | undefined) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const pane: Pane = !conversationId ? "list" : search.get(PANE_PARAM) === CONTACT ? "contact" : "thread";
  const here = pane === "contact" ? `${pathname}?${PANE_PARAM}=${CONTACT}` : pathname;

  // The inbox's own record of where it has been, kept in step with Back (a return to the one before is a pop).
  const visited = useRef<string[]>([]);
  useEffect(() => {
    const stack = visited.current;
    if (stack.at(-2) === here) stack.pop();
    else if (stack.at(-1) !== here) stack.push(here);
  }, [here]);

  const showContact = useCallback(() => {
    // Next.js follows pushState without asking the server for the page again (the conversation is already loaded).
    window.history.pushState(null, "", `${pathname}?${PANE_PARAM}=${CONTACT}`);
  }, [pathname]);

  const back = useCallback(() => {
    const target = pane === "contact" ? pathname : `/t/${slug}/inbox`;
    if (visited.current.at(-2) === target) router.back();
    else if (pane === "contact") window.history.replaceState(null, "", target);
    else router.push(target);
  }, [pane, pathname, router, slug]);

  return { pane, showContact, back };
}
