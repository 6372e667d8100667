import { widgetLimits } from "@/lib/widget/protocol";
import { el } from "./dom";

let lastId = 0;
/** An id unique in the shadow root, for label and error references. */
export function uniqueId(prefix: string): string {
  lastId += 1;
  return `sc-${prefix}-${lastId}`;
}

function validEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

export type Field = { element: HTMLElement; input: HTMLInputElement; setError: (message: string) => void };

/** A labelled input whose error is tied to it (`aria-invalid`, `aria-describedby`). */
export function formField(label: string, options: { type: "text" | "email"; required: boolean; value?: string; autocomplete?: string }): Field {
  const id = uniqueId("field");
  const input = el("input", {
    attrs: {
      id,
      type: options.type,
      maxlength: String(widgetLimits.field),
      autocomplete: options.autocomplete ?? "off",
      "aria-required": options.required ? "true" : false,
      "aria-describedby": `${id}-error`,
    },
  });
  input.value = options.value ?? "";
  const error = el("div", { className: "error", attrs: { id: `${id}-error` } });
  return {
    element: el("div", { className: "field" }, [el("label", { text: label, attrs: { for: id } }), input, error]),
    input,
    setError(message) {
      error.textContent = message;
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    },
  };
}

/** Checks one field against required/email; shows and answers the problem, or "". */
export function checkField(field: Field, messages: { required: string; invalidEmail: string }): string {
  const value = field.input.value.trim();
  const required = field.input.getAttribute("aria-required") === "true";
  const problem = required && !value ? messages.required : value && field.input.type === "email" && !validEmail(value) ? messages.invalidEmail : "";
  field.setError(problem);
  return problem;
}
