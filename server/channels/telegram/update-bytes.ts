/**
 * An update fetched with getUpdates, as JSON bytes again (what a quarantine
 * keeps; grammY hands the poller parsed objects). JSON.stringify recurses and
 * throws RangeError on a value nested some thousands of levels deep, which
 * JSON.parse reads without trouble; such a value is written out with an
 * explicit stack instead, so the poller can keep it like any other.
 */
export function updateBytes(value: unknown): Buffer {
  try {
    return Buffer.from(JSON.stringify(value) ?? "null");
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return Buffer.from(stringifyWithoutRecursion(value));
  }
}

/** Plain JSON values only (what JSON.parse returns), in JSON.stringify's own format. */
function stringifyWithoutRecursion(root: unknown): string {
  const out: string[] = [];
  // Either a value still to write, or literal text (a bracket, a comma, a key) to emit as it is.
  const stack: ({ value: unknown } | { text: string })[] = [{ value: root }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ("text" in item) {
      out.push(item.text);
      continue;
    }
    const { value } = item;
    if (Array.isArray(value)) {
      stack.push({ text: "]" });
      for (let index = value.length - 1; index >= 0; index--) {
        stack.push({ value: value[index] === undefined ? null : value[index] });
        if (index > 0) stack.push({ text: "," });
      }
      out.push("[");
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value).filter(([, field]) => field !== undefined);
      stack.push({ text: "}" });
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, field] = entries[index]!;
        stack.push({ value: field });
        stack.push({ text: `${index > 0 ? "," : ""}${JSON.stringify(key)}:` });
      }
      out.push("{");
    } else {
      out.push(JSON.stringify(value) ?? "null");
    }
  }
  return out.join("");
}
