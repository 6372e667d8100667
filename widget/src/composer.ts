import type { WidgetConfig } from "@/lib/widget/protocol";
import { el, icon, icons } from "./dom";
import { uniqueId } from "./form-field";
import { fill, type Strings } from "./strings";

type ComposerEvents = {
  send: (text: string, files: File[]) => void;
  typing: () => void;
  stopTyping: () => void;
};

function megabytes(bytes: number): string {
  return `${Math.floor(bytes / (1024 * 1024))} MB`;
}

/**
 * The message box: a labelled textarea (Enter sends, Shift+Enter breaks the
 * line), the files picked for the next message, and the send button. The
 * channel's limits are checked here, with a visible reason, before anything
 * is sent.
 */
export function composer(strings: Strings, limits: WidgetConfig["limits"], on: ComposerEvents) {
  let files: File[] = [];
  const id = uniqueId("message");
  const error = el("div", { className: "error", attrs: { role: "alert" } });
  const chips = el("div", { className: "chips" });
  const textarea = el("textarea", { attrs: { id, rows: "1", placeholder: strings.messagePlaceholder } });
  const picker = el("input", { attrs: { type: "file", multiple: "", hidden: "", tabindex: "-1" } });

  const showError = (message: string) => {
    error.textContent = message;
  };

  function grow(): void {
    textarea.style.height = "auto";
    textarea.style.height = `${Math.min(textarea.scrollHeight + 2, 140)}px`;
  }

  function renderChips(): void {
    chips.replaceChildren(
      ...files.map((file, index) =>
        el("span", { className: "chip" }, [
          el("span", { text: file.name }),
          el(
            "button",
            {
              className: "icon-button",
              attrs: { type: "button", "aria-label": `${strings.removeFile} ${file.name}` },
              on: {
                click() {
                  files = files.filter((_, other) => other !== index);
                  renderChips();
                  textarea.focus();
                },
              },
            },
            [icon(icons.close)],
          ),
        ]),
      ),
    );
  }

  function pick(chosen: File[]): void {
    const fitting = chosen.filter((file) => file.size <= limits.fileBytes);
    let problem = fitting.length < chosen.length ? fill(strings.fileTooBig, megabytes(limits.fileBytes)) : "";
    if (files.length + fitting.length > limits.files) problem = fill(strings.tooManyFiles, limits.files);
    files = [...files, ...fitting].slice(0, limits.files);
    showError(problem);
    renderChips();
  }

  function submit(): void {
    const text = textarea.value.trim();
    if (!text && files.length === 0) return;
    if (text.length > limits.text) return showError(fill(strings.textTooLong, limits.text));
    on.stopTyping();
    on.send(text, files);
    textarea.value = "";
    files = [];
    showError("");
    renderChips();
    grow();
  }

  textarea.addEventListener("keydown", (event) => {
    // While an input method composes (CJK, some phone keyboards) Enter confirms the word, it does not send.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  textarea.addEventListener("input", () => {
    grow();
    if (textarea.value) on.typing();
  });
  textarea.addEventListener("blur", on.stopTyping);
  picker.addEventListener("change", () => {
    pick(Array.from(picker.files ?? []));
    // The same file can then be picked again after it was removed.
    picker.value = "";
    textarea.focus();
  });

  const element = el(
    "form",
    {
      className: "composer",
      on: {
        submit(event) {
          event.preventDefault();
          submit();
        },
      },
    },
    [
      error,
      chips,
      el("div", { className: "composer-row" }, [
        el("label", { className: "sr-only", text: strings.messageLabel, attrs: { for: id } }),
        el("button", { className: "icon-button", attrs: { type: "button", "aria-label": strings.attach }, on: { click: () => picker.click() } }, [icon(icons.attach)]),
        textarea,
        picker,
        el("button", { className: "icon-button send", attrs: { type: "submit", "aria-label": strings.send } }, [icon(icons.send)]),
      ]),
    ],
  );

  return {
    element,
    focus: () => textarea.focus(),
    showError,
    /** What was typed, kept when the widget is drawn again in another language. */
    draft: () => textarea.value,
    restore(text: string): void {
      textarea.value = text;
      grow();
    },
  };
}
