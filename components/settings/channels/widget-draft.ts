import type { PreChatField, WidgetPosition } from "@/lib/widget/protocol";

/** The widget form's state, as typed: the origins are the text box's lines. */
export type WidgetDraft = {
  name: string;
  origins: string;
  color: string;
  position: WidgetPosition;
  greeting: string;
  requireIdentity: boolean;
  preChat: boolean;
  /** The pre-chat form's own fields beyond name and email: kept as they are (this form does not edit them). */
  preChatFields: PreChatField[];
};

export const defaultWidgetColor = "#2563eb";

export const newWidgetDraft = (): WidgetDraft => ({ name: "", origins: "", color: defaultWidgetColor, position: "right", greeting: "", requireIdentity: false, preChat: false, preChatFields: [] });

/** A saved widget's settings, as the form edits them. */
export function draftOf(name: string, widget: { allowedOrigins: string[]; color: string; position: WidgetPosition; greeting: string | null; requireIdentity: boolean; preChat: { enabled: boolean; fields: PreChatField[] } }): WidgetDraft {
  return {
    name,
    origins: widget.allowedOrigins.join("\n"),
    color: widget.color,
    position: widget.position,
    greeting: widget.greeting ?? "",
    requireIdentity: widget.requireIdentity,
    preChat: widget.preChat.enabled,
    preChatFields: widget.preChat.fields,
  };
}

export const isHexColor = (value: string) => /^#[0-9a-f]{6}$/i.test(value);

/** One origin as sent, and the line of the text box it came from (1-based). */
export type OriginLine = { line: number; origin: string };

/**
 * The origins box's non-blank lines, trimmed, in order. The server names a bad
 * origin by its index in what was sent (`allowedOrigins.2`): that index is an
 * index into this list, which gives the line to point at.
 */
export function originLines(text: string): OriginLine[] {
  return text
    .split(/\r?\n/)
    .map((origin, index) => ({ line: index + 1, origin: origin.trim() }))
    .filter((entry) => entry.origin !== "");
}

/** What `channels.createWebWidget` and `channels.updateWebWidget` take, from the draft. */
export function widgetInput(draft: WidgetDraft, lines: OriginLine[]) {
  return {
    name: draft.name.trim(),
    allowedOrigins: lines.map((entry) => entry.origin),
    color: draft.color.toLowerCase(),
    position: draft.position,
    // None is null, not "": the server keeps no empty greeting.
    greeting: draft.greeting.trim() || null,
    requireIdentity: draft.requireIdentity,
    preChat: { enabled: draft.preChat, fields: draft.preChatFields },
  };
}

export type OriginError = { line: number; origin: string; error: string };

/**
 * The server's errors about the origins, each at the line it is about:
 * `allowedOrigins.N` at the N-th origin sent, `allowedOrigins` (the list as a
 * whole: none, too many) without a line.
 */
export function originErrors(fieldErrors: Record<string, string[]>, sent: OriginLine[]): { lines: OriginError[]; list: string[] } {
  const lines: OriginError[] = [];
  const list = [...(fieldErrors.allowedOrigins ?? [])];
  for (const [field, messages] of Object.entries(fieldErrors)) {
    const index = /^allowedOrigins\.(\d+)$/.exec(field)?.[1];
    if (index === undefined) continue;
    const entry = sent[Number(index)];
    if (entry) lines.push(...messages.map((error) => ({ ...entry, error })));
    else list.push(...messages);
  }
  lines.sort((a, b) => a.line - b.line);
  return { lines, list };
}
