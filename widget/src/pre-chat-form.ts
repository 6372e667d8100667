import type { PreChatField, SendRequest } from "@/lib/widget/protocol";
import { el } from "./dom";
import { checkField, formField, type Field } from "./form-field";
import type { Strings } from "./strings";

export type PreChatAnswers = NonNullable<SendRequest["preChat"]>;

/**
 * The form shown before the first message when the channel asks for it: name,
 * email and the admin's own fields. Nothing is sent here; the answers go with
 * the first message.
 */
export function preChatForm(
  strings: Strings,
  fields: PreChatField[],
  known: { name?: string; email?: string },
  done: (answers: PreChatAnswers) => void,
): { element: HTMLFormElement; focus: () => void } {
  // The protocol leaves the built-in fields' rules open: an email to answer at is what a support desk needs.
  const name = formField(strings.nameLabel, { type: "text", required: false, value: known.name, autocomplete: "name" });
  const email = formField(strings.emailLabel, { type: "email", required: true, value: known.email, autocomplete: "email" });
  const custom = fields.map((field) => ({ key: field.key, field: formField(field.label, { type: field.type, required: field.required }) }));
  const all: Field[] = [name, email, ...custom.map((entry) => entry.field)];

  const element = el(
    "form",
    {
      className: "form",
      attrs: { novalidate: "" },
      on: {
        submit(event) {
          event.preventDefault();
          const invalid = all.filter((field) => checkField(field, strings) !== "");
          if (invalid.length > 0) {
            invalid[0]!.input.focus();
            return;
          }
          const answers: Record<string, string> = {};
          for (const { key, field } of custom) if (field.input.value.trim()) answers[key] = field.input.value.trim();
          done({
            name: name.input.value.trim() || undefined,
            email: email.input.value.trim() || undefined,
            fields: Object.keys(answers).length > 0 ? answers : undefined,
          });
        },
      },
    },
    [el("h3", { text: strings.preChatTitle }), ...all.map((field) => field.element), el("button", { className: "primary", text: strings.start, attrs: { type: "submit" } })],
  );
  return { element, focus: () => all[0]!.input.focus() };
}
