/**
 * Text nothing downstream can take: NUL, which PostgreSQL refuses in `text`
 * and in `jsonb` (one such character in a customer's message stopped a bot's
 * intake), and UTF-16 surrogates without their pair, which `jsonb` refuses as
 * escapes and UTF-8 cannot encode. This module is the one place that knows
 * them. Customer content (Telegram updates) is cleaned: the characters are
 * removed and intake goes on. What an API client or a socket sends is checked:
 * such a string is refused with a field error (server/api/trpc.ts), because a
 * client that sends one has a bug it should hear about.
 */

const unsafeCharacters = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function hasUnsafeText(value: string): boolean {
  return value.includes("\u0000") || !value.isWellFormed();
}

export function cleanText(value: string): string {
  return hasUnsafeText(value) ? value.replace(unsafeCharacters, "") : value;
}

/**
 * Walks plain JSON (objects, arrays, strings) without recursion, so a body
 * nested a hundred thousand levels deep cannot overflow the stack; `visit` gets
 * each string with its dotted path and returns what replaces it. Object keys
 * count as strings too.
 */
function walkStrings(root: unknown, visit: (text: string, path: string) => string): unknown {
  const holder = { root };
  const stack: { parent: Record<string, unknown>; key: string; path: string }[] = [{ parent: holder, key: "root", path: "" }];
  while (stack.length > 0) {
    const { parent, key, path } = stack.pop()!;
    const value = parent[key];
    if (typeof value === "string") {
      const next = visit(value, path);
      if (next !== value) parent[key] = next;
    } else if (Array.isArray(value)) {
      value.forEach((_, index) => stack.push({ parent: value as unknown as Record<string, unknown>, key: String(index), path: path ? `${path}.${index}` : String(index) }));
    } else if (value !== null && typeof value === "object" && !(value instanceof Date) && !(value instanceof Uint8Array)) {
      const record = value as Record<string, unknown>;
      for (const name of Object.keys(record)) {
        const childPath = path ? `${path}.${name}` : name;
        const cleanName = visit(name, childPath);
        if (cleanName !== name) {
          record[cleanName] = record[name];
          delete record[name];
        }
        stack.push({ parent: record, key: cleanName, path: childPath });
      }
    }
  }
  return holder.root;
}

/** The same JSON value with every string (and key) cleaned; changed in place. */
export function cleanDeep<T>(value: T): T {
  return walkStrings(value, (text) => cleanText(text)) as T;
}

/** Dotted paths of the strings that hold NUL or an unpaired surrogate, at most `limit` of them. */
export function unsafeTextPaths(value: unknown, limit = 10): string[] {
  const paths: string[] = [];
  walkStrings(value, (text, path) => {
    if (paths.length < limit && hasUnsafeText(text)) paths.push(path || "input");
    return text;
  });
  return paths;
}
