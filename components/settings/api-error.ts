import { TRPCClientError } from "@trpc/client";

export type ApiErrorInfo = { message: string; code?: string; fieldErrors: Record<string, string[]> };

/** What a failed call said, in the shape forms need: a message and errors per field. */
export function apiError(error: unknown): ApiErrorInfo | null {
  if (!error) return null;
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; fieldErrors?: Record<string, string[] | undefined> } | undefined;
    const fieldErrors: Record<string, string[]> = {};
    for (const [field, messages] of Object.entries(data?.fieldErrors ?? {})) if (messages?.length) fieldErrors[field] = messages;
    return { message: error.message, code: data?.code, fieldErrors };
  }
  return { message: error instanceof Error ? error.message : String(error), fieldErrors: {} };
}
