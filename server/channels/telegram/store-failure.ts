import { cleanText } from "@/server/security/clean-text";

/** Long enough for PostgreSQL's message and detail; a check violation's detail repeats the whole row. */
const MAX_ERROR_LENGTH = 1_000;

/**
 * What a quarantined update keeps of the error that stopped it: a code to branch
 * on (the SQLSTATE, or the error's class) and a message for the admin — cleaned,
 * since an error may quote the very text PostgreSQL refused.
 */
export function storeFailure(error: unknown): { errorCode: string; error: string } {
  if (!(error instanceof Error)) return { errorCode: "unknown", error: cleanText(String(error).slice(0, MAX_ERROR_LENGTH)) };
  const { code, detail } = error as { code?: unknown; detail?: unknown };
  const text = typeof detail === "string" && detail ? `${error.message} (${detail})` : error.message;
  return { errorCode: typeof code === "string" && code ? code : error.name, error: cleanText(text.slice(0, MAX_ERROR_LENGTH)) };
}
