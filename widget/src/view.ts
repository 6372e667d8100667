import type { WidgetConfig } from "@/lib/widget/protocol";
import { awayNote } from "./away-note";
import { composer } from "./composer";
import type { Entry } from "./conversation";
import { el } from "./dom";
import { messageList } from "./message-list";
import { preChatForm, type PreChatAnswers } from "./pre-chat-form";
import { widgetShell, type Theme } from "./shell";
import type { Strings } from "./strings";

type ViewEvents = {
  toggle: (open: boolean) => void;
  send: (text: string, files: File[]) => void;
  typing: () => void;
  stopTyping: () => void;
  retry: (key: string) => void;
  preChat: (answers: PreChatAnswers) => void;
  contact: (email: string) => Promise<string | null>;
  loadOlder: () => void;
};

// Within this many pixels of the end the list counts as "at the newest message" and follows new ones.
const followSlack = 48;

/**
 * Everything the visitor sees, drawn for one config and one language: the
 * greeting, the away note, the pre-chat form or the message box, the messages
 * and the typing indicator. A change of language draws it anew.
 */
export function mountView(shadow: ShadowRoot, config: WidgetConfig, strings: Strings, theme: Theme, on: ViewEvents) {
  const title = config.name || strings.title;
  const shell = widgetShell(shadow, { title, strings, color: config.color, position: config.position, theme }, { toggle: on.toggle });
  const { body } = shell;
  const greeting = config.greeting ? el("div", { className: "row greeting" }, [el("div", { className: "bubble", text: config.greeting })]) : null;
  const away = el("div");
  const preChat = el("div");
  const log = el("div", { className: "log", attrs: { role: "log", "aria-live": "polite", "aria-label": title } });
  const typing = el("div", { className: "typing", text: strings.agentTyping, attrs: { role: "status", hidden: "" } });
  body.append(...[greeting, away, preChat, log, typing].filter((node): node is HTMLDivElement => node !== null));

  let following = true;
  let awayAsksEmail: boolean | null = null;
  // Keeps the newest message in view when it was, and what the visitor was reading otherwise (also when older ones are added above).
  function keepPlace(change: () => void): void {
    const fromEnd = body.scrollHeight - body.scrollTop;
    change();
    body.scrollTop = following ? body.scrollHeight : body.scrollHeight - fromEnd;
  }
  body.addEventListener("scroll", () => {
    following = body.scrollHeight - body.scrollTop - body.clientHeight < followSlack;
    if (body.scrollTop < followSlack) on.loadOlder();
  });

  const box = composer(strings, config.limits, {
    send(text, files) {
      following = true;
      on.send(text, files);
    },
    typing: on.typing,
    stopTyping: on.stopTyping,
  });
  shell.footer.append(box.element);
  let focusInside = box.focus;
  const updateList = messageList(log, {
    strings,
    channelName: title,
    retry: on.retry,
    mediaLoaded: () => keepPlace(() => undefined),
  });

  return {
    setTheme: shell.setTheme,
    isOpen: shell.isOpen,
    setOpen(open: boolean): void {
      shell.setOpen(open, () => focusInside());
      if (open) body.scrollTop = body.scrollHeight;
    },
    setEntries: (entries: Entry[], agentReadAt: string | null) => keepPlace(() => updateList(entries, agentReadAt)),
    setAgentTyping: (shown: boolean) => keepPlace(() => (typing.hidden = !shown)),
    setConnected: (connected: boolean) => (shell.banner.hidden = connected),
    setAway(askEmail: boolean): void {
      // Drawn again only when it changes: the visitor may be typing into it.
      if (!config.away.now || askEmail === awayAsksEmail) return;
      awayAsksEmail = askEmail;
      away.replaceChildren(awayNote(strings, config.away.message, askEmail, on.contact));
    },
    /** The pre-chat form in place of the message box, or (with null) the message box again. */
    askPreChat(known: { name?: string; email?: string } | null): void {
      box.element.hidden = known !== null;
      if (!known) {
        preChat.replaceChildren();
        focusInside = box.focus;
        return;
      }
      // Kept when already shown: the visitor may be filling it in.
      if (preChat.firstChild) return;
      const form = preChatForm(strings, config.preChat.fields, known, on.preChat);
      preChat.replaceChildren(form.element);
      focusInside = form.focus;
    },
    focus: () => focusInside(),
    notice: box.showError,
    draft: box.draft,
    restore: box.restore,
  };
}

export type View = ReturnType<typeof mountView>;
