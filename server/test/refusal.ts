import { TRPCError } from "@trpc/server";
import { fieldErrorsOf } from "@/server/api/trpc";

/**
 * How a call was refused: its tRPC code and the field errors a client gets as
 * `data.fieldErrors` — from zod's issues or from a service's AppError details,
 * read as server/api/trpc.ts's error formatter reads them. Fails the test
 * when the call succeeds or throws something that is not a TRPCError.
 */
export async function refusal(call: Promise<unknown>): Promise<{ code: TRPCError["code"]; fieldErrors: Record<string, string[] | undefined> }> {
  const error = await call.then(
    () => {
      throw new Error("expected the call to be refused, and it succeeded");
    },
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw error;
  const fieldErrors = fieldErrorsOf(error.cause) ?? {};
  return { code: error.code, fieldErrors };
}
