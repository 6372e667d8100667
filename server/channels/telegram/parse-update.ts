import type { z } from "zod";
import { cleanDeep, cleanText } from "@/server/security/clean-text";
import { updateSchema, type TelegramUpdate } from "./normalize-update";

/** Why a body is not an update intake can take; the code is what callers branch on. */
export type UpdateReadFailure = { code: "invalid_json" | "not_an_update" | "too_long"; error: string; updateId: number | null };

/**
 * An update as both edges (the webhook's body, each of getUpdates' results) and
 * a retry from quarantine read it: strings cleaned of what PostgreSQL refuses
 * (NUL, unpaired surrogates; server/security/clean-text.ts), then parsed and
 * bounded by updateSchema. A failure says in words a person can act on what was
 * wrong and where. JSON.parse, the cleaning walk and zod all cope with a body
 * nested hundreds of thousands of levels deep (measured: V8's parser is not
 * recursive, the walk keeps its own stack, and zod does not descend into fields
 * it does not declare), so such a body is read, refused or ignored like any other.
 */
export function parseUpdate(body: { json: string } | { value: unknown }): { ok: true; update: TelegramUpdate } | ({ ok: false } & UpdateReadFailure) {
  let value: unknown;
  if ("json" in body) {
    try {
      value = JSON.parse(body.json);
    } catch (error) {
      return { ok: false, code: "invalid_json", error: `the body is not JSON: ${cleanText((error as Error).message.slice(0, 200))}`, updateId: null };
    }
  } else {
    value = body.value;
  }
  const cleaned = cleanDeep(value);
  const parsed = updateSchema.safeParse(cleaned);
  if (parsed.success) return { ok: true, update: parsed.data };
  const updateId = updateIdOf(cleaned);
  const tooLong = parsed.error.issues.find((issue) => issue.code === "too_big" && issue.origin === "string");
  if (tooLong) {
    const where = pathOf(tooLong);
    const length = (valueAt(cleaned, tooLong.path) as string | undefined)?.length;
    const limit = (tooLong as { maximum: number | bigint }).maximum;
    return {
      ok: false,
      code: "too_long",
      error: `${where} is ${length?.toLocaleString("en") ?? "too many"} characters long, more than intake takes (${limit.toLocaleString("en")}, far above Telegram's own limits)`,
      updateId,
    };
  }
  const issue = parsed.error.issues[0]!;
  return { ok: false, code: "not_an_update", error: `not a Telegram update: ${pathOf(issue)}: ${issue.message}`, updateId };
}

const pathOf = (issue: z.core.$ZodIssue) => issue.path.map(String).join(".") || "the body";

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let node = root;
  for (const key of path) node = node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  return node;
}

function updateIdOf(value: unknown): number | null {
  const id = value !== null && typeof value === "object" ? (value as { update_id?: unknown }).update_id : undefined;
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0 ? id : null;
}
