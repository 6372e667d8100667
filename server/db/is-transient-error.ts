import pg from "pg";

/**
 * Whether a failure to write is the database's state rather than the data's:
 * the same write will succeed once PostgreSQL is back, so the caller should wait
 * and try again (Telegram intake answers 503, the poller keeps its offset)
 * instead of setting the data aside. Everything else — a data exception (22…),
 * a constraint (23…), a TypeError on odd input — fails the same way every time.
 */

/** SQLSTATE classes about the server, not the statement: connection (08), resources (53), operator intervention (57), system (58). */
const transientClasses = new Set(["08", "53", "57", "58"]);
/**
 * Single codes: serialization failure and deadlock (40001, 40P01), lock not available (55P03),
 * and a login refused (28000, 28P01) or a database missing (3D000): a misconfigured or
 * restoring deployment, which an operator fixes; no update is to blame.
 */
const transientCodes = new Set(["40001", "40P01", "55P03", "28000", "28P01", "3D000"]);

/** Node's network errors (ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, ENOTFOUND, EAI_AGAIN, …), not its ERR_… argument errors. */
const systemErrorCode = /^E(?!RR_)[A-Z]+$/;

/**
 * node-postgres reports a lost or unobtainable connection with plain Errors and
 * no code (pg/lib/client.js, pg-pool/index.js), so these are known by their text.
 */
const connectionMessages = [
  "Connection terminated",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error",
  "Client was closed and is not queryable",
  "Cannot use a pool after calling end on the pool",
  "Query read timeout",
];

export function isTransientError(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) return error.code !== undefined && (transientClasses.has(error.code.slice(0, 2)) || transientCodes.has(error.code));
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && systemErrorCode.test(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isTransientError);
  if (error.constructor !== Error) return false; // TypeError, RangeError, SyntaxError: our code on odd data
  return connectionMessages.some((message) => error.message.startsWith(message));
}
