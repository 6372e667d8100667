import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import { getDb, type Db } from "@/server/db/client";
import { AppError } from "@/server/errors";

/**
 * 1. Context: what every procedure may use. Built once per request from the
 *    request headers (route handler) or from a server component (caller).
 */
export type Context = { db: Db; headers: Headers };

export function createContext(opts: { headers: Headers }): Context {
  return { db: getDb(), headers: opts.headers };
}

/**
 * 2. Initialisation: superjson for Dates and BigInts; zod errors flattened into
 *    field errors a form can show next to each field.
 */
const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        fieldErrors: error.cause instanceof z.ZodError ? z.flattenError(error.cause).fieldErrors : undefined,
      },
    };
  },
});

const appErrorToTRPC: Record<AppError["code"], TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** Domain errors thrown by services become the matching tRPC error, once, here. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: appErrorToTRPC[cause.code], message: cause.message, cause });
  }
  return result;
});

/** 3. Procedures and routers. */
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapDomainErrors);
