"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type KeyboardEvent, type RefObject } from "react";
import { mentionQuery, type Mentionable } from "@/lib/messages/mentions";
import { useTRPC } from "@/lib/trpc/client";

export type MentionCandidate = Mentionable & { email: string };

/**
 * Typing "@" in a note offers the workspace's members, filtered by what follows (name or email),
 * chosen with the arrows and Enter or Tab (Escape closes it); a choice writes "@Name " and remembers
 * who was meant, so the note can store who it mentions (lib/messages/mentions.ts).
 */
export function useMentionPicker(options: { enabled: boolean; text: string; setText: (text: string) => void; textarea: RefObject<HTMLTextAreaElement | null> }) {
  const trpc = useTRPC();
  const members = useQuery(trpc.members.list.queryOptions(undefined, { enabled: options.enabled, staleTime: 60_000 }));
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [chosen, setChosen] = useState<Mentionable[]>([]);
  const open = options.enabled ? mentionQuery(options.text, caret) : null;
  const query = open?.query.toLowerCase() ?? "";
  const candidates: MentionCandidate[] =
    open && dismissed !== open.start
      ? (members.data?.members ?? [])
          .map((member) => ({ userId: member.user.id, name: member.user.name, email: member.user.email }))
          .filter((member) => !query || member.name.toLowerCase().includes(query) || member.email.toLowerCase().includes(query))
          .slice(0, 8)
      : [];
  const current = Math.min(active, Math.max(0, candidates.length - 1));

  const choose = (member: MentionCandidate) => {
    if (!open) return;
    const before = options.text.slice(0, open.start);
    const after = options.text.slice(caret);
    const inserted = `@${member.name} `;
    options.setText(`${before}${inserted}${after}`);
    setChosen((list) => (list.some((m) => m.userId === member.userId) ? list : [...list, { userId: member.userId, name: member.name }]));
    setActive(0);
    const at = before.length + inserted.length;
    setCaret(at);
    requestAnimationFrame(() => options.textarea.current?.setSelectionRange(at, at));
  };

  return {
    /** Open with this query (null: closed), and what matches it. */
    query: open && dismissed !== open.start ? open.query : null,
    candidates,
    active: current,
    chosen,
    choose,
    /** Call with the textarea's value and caret on every change and caret move. */
    follow: (selectionStart: number | null) => {
      setCaret(selectionStart ?? 0);
      setActive(0);
    },
    /** The picker's keys; true when it used the key (the composer must not). */
    onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
      if (candidates.length === 0) return false;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        setActive((current + (event.key === "ArrowDown" ? 1 : candidates.length - 1)) % candidates.length);
        return true;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(candidates[current]!);
        return true;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setDismissed(open!.start);
        return true;
      }
      return false;
    },
    reset: () => {
      setChosen([]);
      setDismissed(null);
    },
  };
}

export type MentionPicker = ReturnType<typeof useMentionPicker>;
