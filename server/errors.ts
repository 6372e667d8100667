/**
 * The one error type of the domain. Services throw it; the tRPC layer and route
 * handlers map its code to a status once (server/api/trpc.ts, server/http/api-error.ts).
 */
export const appErrorCodes = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type AppErrorCode = keyof typeof appErrorCodes;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

const prismaCode = (error: unknown) => (typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined);

/** A row the write needed is gone (P2025: not found for update or connect; P2003: a foreign key without its row), as Prisma reports it. */
export function isMissingRecord(error: unknown): boolean {
  const code = prismaCode(error);
  return code === "P2025" || code === "P2003";
}

/** Postgres unique violation, as Prisma reports it. */
export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002";
}

/**
 * The database could not take the work in time, as Prisma reports it: a
 * transaction that could not start or ran out of time (P2028), no pool
 * connection in time (P2024), or PostgreSQL at its connection limit (P2037,
 * "too many clients": more processes than `max_connections` allows, seen with
 * three web processes and two workers on a default server). Busy, not broken:
 * the caller may try again.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === "P2028" || code === "P2024" || code === "P2037";
}
