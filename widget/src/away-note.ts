import { el } from "./dom";
import { checkField, formField } from "./form-field";
import type { Strings } from "./strings";

/**
 * Outside business hours: the team's away message, and an email field so the
 * visitor can be answered later (`POST /contact`). `save` answers the
 * server's reason when it refuses.
 */
export function awayNote(strings: Strings, message: string | null, askEmail: boolean, save: (email: string) => Promise<string | null>): HTMLElement {
  const note = el("div", { className: "note" }, [message ? el("div", { text: message }) : null]);
  if (!askEmail) return note;
  const email = formField(strings.emailLabel, { type: "email", required: true, autocomplete: "email" });
  const form = el(
    "form",
    {
      className: "form",
      attrs: { novalidate: "" },
      on: {
        async submit(event) {
          event.preventDefault();
          if (checkField(email, strings)) return email.input.focus();
          const refusal = await save(email.input.value.trim());
          if (refusal !== null) return email.setError(refusal || strings.unavailable);
          form.replaceWith(el("div", { text: strings.awayEmailSaved, attrs: { role: "status" } }));
        },
      },
    },
    [el("div", { text: strings.awayEmailPrompt }), email.element, el("button", { className: "primary", text: strings.saveEmail, attrs: { type: "submit" } })],
  );
  note.append(form);
  return note;
}
