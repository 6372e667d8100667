import { TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";

/** What a variable is used as, which decides the values it takes: plural and number need numbers, date and time dates. */
export type VariableKind = "text" | "number" | "date" | "choice";

const kindOf: Partial<Record<TYPE, VariableKind>> = {
  [TYPE.argument]: "text",
  [TYPE.number]: "number",
  [TYPE.plural]: "number",
  [TYPE.date]: "date",
  [TYPE.time]: "date",
  [TYPE.select]: "choice",
};

/**
 * Every variable a parsed message uses, in order of first use, including those
 * inside plural and select options. A variable used both as plain text and in a
 * plural or a date is the latter, so that it is given a value it can format.
 */
export function templateVariables(elements: MessageFormatElement[], found = new Map<string, VariableKind>()): Map<string, VariableKind> {
  for (const element of elements) {
    const kind = kindOf[element.type];
    if (kind && "value" in element) {
      const known = found.get(element.value);
      if (!known || known === "text") found.set(element.value, kind);
    }
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) templateVariables(option.value, found);
    }
  }
  return found;
}
