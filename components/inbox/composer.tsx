"use client";

import { useTranslations } from "next-intl";
import { forwardRef, useImperativeHandle, useRef, useState } from "react";
import type { Mention } from "@/lib/messages/content";
import { mentionsIn } from "@/lib/messages/mentions";
import { pickVariant, renderTemplate, type Variant } from "@/lib/templates/render";
import { PaperclipIcon } from "./icons";
import { MentionList } from "./mention-list";
import { useMentionPicker } from "./use-mention-picker";

export type ComposerHandle = { focus: (mode?: "reply" | "note") => void };
export type ComposerSubmit = { text: string; isPrivate: boolean; files: File[]; mentions: Mention[] };

/**
 * Where an agent writes: Enter sends, Shift+Enter starts a new line; a reply goes
 * to the customer, a note stays with the team. Files (photos, documents) ride
 * along. While the agent types, the others (and the customer) see "typing…".
 * In a note, "@" calls a teammate in (they are notified).
 */
export type CannedResponse = { key: string; description: string | null; variants: Variant[] };

export const Composer = forwardRef<
  ComposerHandle,
  {
    blocked: boolean;
    disabled: boolean;
    onSubmit: (input: ComposerSubmit) => Promise<void>;
    onTyping: (typing: boolean) => void;
    /** Offered after "/": rendered for the contact's language with these variables. */
    canned: CannedResponse[];
    locale: string | null;
    variables: Record<string, string | undefined>;
  }
>(function Composer(props, ref) {
  const t = useTranslations("inbox.composer");
  const [text, setText] = useState("");
  const [note, setNote] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const lastTyping = useRef(0);
  const isNote = note || props.blocked;
  const mentions = useMentionPicker({ enabled: isNote, text, setText, textarea });
  const [active, setActive] = useState(0);
  const [hint, setHint] = useState<string | null>(null);
  // "/" at the start opens the canned responses, filtered by what follows.
  const picking = text.startsWith("/") && !text.includes("\n");
  const search = text.slice(1).trim().toLowerCase();
  const matches = picking
    ? props.canned.filter((item) => !search || item.key.includes(search) || item.description?.toLowerCase().includes(search) || item.variants.some((v) => v.body.toLowerCase().includes(search))).slice(0, 8)
    : [];
  const choose = (item: CannedResponse) => {
    const variant = pickVariant(item.variants, props.locale);
    if (!variant) return;
    const rendered = renderTemplate(variant.body, variant.locale, props.variables);
    setText(rendered.text);
    setHint(rendered.missing.length ? t("fillIn", { names: rendered.missing.join(", ") }) : null);
    setActive(0);
    textarea.current?.focus();
  };

  useImperativeHandle(ref, () => ({
    focus: (mode) => {
      if (mode) setNote(mode === "note");
      textarea.current?.focus();
    },
  }));

  const typing = (value: string) => {
    if (isNote) return;
    const now = Date.now();
    if (value && now - lastTyping.current > 3000) {
      lastTyping.current = now;
      props.onTyping(true);
    } else if (!value && lastTyping.current) {
      lastTyping.current = 0;
      props.onTyping(false);
    }
  };

  const submit = async () => {
    const trimmed = text.trim();
    if (!trimmed && files.length === 0) return;
    if (files.length > 10) return setError(t("tooManyFiles"));
    setSending(true);
    setError(null);
    const input = { text: trimmed, isPrivate: isNote, files, mentions: isNote ? mentionsIn(trimmed, mentions.chosen) : [] };
    setText("");
    setFiles([]);
    mentions.reset();
    if (lastTyping.current) {
      lastTyping.current = 0;
      props.onTyping(false);
    }
    try {
      await props.onSubmit(input);
    } catch (failure) {
      setError((failure as Error).message);
      setText(trimmed);
      setFiles(input.files);
    } finally {
      setSending(false);
      textarea.current?.focus();
    }
  };

  return (
    <form
      className={`border-t p-3 ${isNote ? "border-amber-200 bg-amber-50/60 dark:border-amber-900 dark:bg-amber-950/30" : "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"}`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {props.blocked && (
        <p className="mb-2 rounded-lg bg-red-50 px-3 py-2 text-xs text-red-800 dark:bg-red-950 dark:text-red-200" role="status">
          {t("blocked")}
        </p>
      )}
      <div className="mb-2 flex items-center gap-1" role="radiogroup" aria-label={t("sendAs")}>
        {(["reply", "note"] as const).map((mode) => (
          <button
            key={mode}
            type="button"
            role="radio"
            aria-checked={(mode === "note") === isNote}
            disabled={mode === "reply" && props.blocked}
            onClick={() => {
              setNote(mode === "note");
              // Straight on to writing (a shortcut key typed next must not act on the conversation).
              textarea.current?.focus();
            }}
            className={`rounded-full px-3 py-1 text-xs font-medium disabled:opacity-40 ${
              (mode === "note") === isNote ? (mode === "note" ? "bg-amber-200 text-amber-950 dark:bg-amber-800 dark:text-amber-50" : "bg-sky-600 text-white") : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            }`}
          >
            {mode === "reply" ? t("reply") : t("note")}
          </button>
        ))}
      </div>
      {matches.length > 0 && (
        <ul role="listbox" aria-label={t("canned")} className="mb-2 max-h-56 overflow-y-auto rounded-lg border border-slate-200 bg-white text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
          {matches.map((item, index) => {
            const variant = pickVariant(item.variants, props.locale);
            return (
              <li
                key={item.key}
                role="option"
                aria-selected={index === Math.min(active, matches.length - 1)}
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(item);
                }}
                className={`cursor-pointer px-3 py-1.5 ${index === Math.min(active, matches.length - 1) ? "bg-sky-50 dark:bg-sky-950" : ""}`}
              >
                <span className="font-mono text-xs text-sky-700 dark:text-sky-300">/{item.key}</span> <span className="text-slate-500">{item.description}</span>
                <span className="block truncate text-xs text-slate-600 dark:text-slate-400">{variant?.body}</span>
              </li>
            );
          })}
        </ul>
      )}
      {picking && matches.length === 0 && <p className="mb-2 text-xs text-slate-500">{t("noCanned", { search })}</p>}
      <MentionList picker={mentions} />
      <label htmlFor="composer" className="sr-only">
        {isNote ? t("note") : t("reply")}
      </label>
      <textarea
        id="composer"
        ref={textarea}
        value={text}
        rows={3}
        maxLength={20_000}
        disabled={props.disabled}
        placeholder={isNote ? t("notePlaceholder") : t("replyPlaceholder")}
        aria-controls={mentions.query !== null ? "mention-list" : undefined}
        aria-autocomplete="list"
        onChange={(event) => {
          setText(event.target.value);
          mentions.follow(event.target.selectionStart);
          setActive(0);
          if (hint) setHint(null);
          typing(event.target.value);
        }}
        onBlur={() => {
          if (lastTyping.current) {
            lastTyping.current = 0;
            props.onTyping(false);
          }
        }}
        onSelect={(event) => mentions.follow(event.currentTarget.selectionStart)}
        onKeyDown={(event) => {
          if (mentions.onKeyDown(event)) return;
          if (matches.length > 0) {
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              event.preventDefault();
              setActive((current) => (current + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length);
              return;
            }
            if (event.key === "Enter" || event.key === "Tab") {
              event.preventDefault();
              choose(matches[Math.min(active, matches.length - 1)]!);
              return;
            }
          }
          if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void submit();
          }
          if (event.key === "Escape") textarea.current?.blur();
        }}
        className="w-full resize-none rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-slate-700 dark:bg-slate-950"
      />
      {files.length > 0 && (
        <ul className="mt-1 flex flex-wrap gap-1 text-xs" aria-label={t("files")}>
          {files.map((file, index) => (
            <li key={index} className="flex items-center gap-1 rounded bg-slate-100 px-2 py-0.5 dark:bg-slate-800">
              <PaperclipIcon /> {file.name}
              <button type="button" aria-label={t("removeFile", { name: file.name })} onClick={() => setFiles(files.filter((_, i) => i !== index))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {hint && (
        <p className="mt-1 text-xs text-amber-700 dark:text-amber-300" role="status">
          {hint}
        </p>
      )}
      {error && (
        <p className="mt-1 text-xs text-red-700 dark:text-red-300" role="alert">
          {error}
        </p>
      )}
      <div className="mt-2 flex items-center justify-between">
        <div>
          <input
            ref={fileInput}
            type="file"
            multiple
            className="sr-only"
            id="composer-files"
            onChange={(event) => {
              setFiles([...files, ...Array.from(event.target.files ?? [])].slice(0, 10));
              event.target.value = "";
            }}
          />
          <label htmlFor="composer-files" className="flex cursor-pointer items-center gap-1 rounded-lg px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">
            <PaperclipIcon /> {t("attach")}
          </label>
        </div>
        <button
          type="submit"
          disabled={props.disabled || sending || (!text.trim() && files.length === 0)}
          className={`rounded-lg px-4 py-1.5 text-sm font-semibold text-white disabled:opacity-50 ${isNote ? "bg-amber-600 hover:bg-amber-700" : "bg-sky-600 hover:bg-sky-700"}`}
        >
          {isNote ? t("addNote") : t("send")}
        </button>
      </div>
    </form>
  );
});
