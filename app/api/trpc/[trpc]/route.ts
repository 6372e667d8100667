import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { ContextFailure, createContext, type Meta } from "@/server/api/trpc";
import { DEFAULT_BODY_LIMIT_BYTES, limitedBody } from "@/server/http/body-limit";
import { AppError } from "@/server/errors";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/api-error";
import { createLogger } from "@/server/logger";

const log = createLogger("web");

/** The most a call's body may hold: 1 MB, or more for a procedure in the batch that declares it. */
function bodyLimitOf(url: string): number {
  let paths: string[];
  try {
    paths = decodeURIComponent(new URL(url).pathname.slice("/api/trpc/".length)).split(",");
  } catch {
    return DEFAULT_BODY_LIMIT_BYTES; // a malformed path: tRPC answers it 404 anyway
  }
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } } | undefined>;
  return Math.max(DEFAULT_BODY_LIMIT_BYTES, ...paths.map((path) => procedures[path]?._def.meta?.maxBodyBytes ?? 0));
}

const handler = (request: Request) => {
  // The web process gives every request an id; a direct call (tests) gets one here.
  const requestId = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  // tRPC reads the body through the limit: past it, the call fails with 413 in tRPC's own error shape.
  const body = request.method === "GET" || request.method === "HEAD" ? null : limitedBody(request, bodyLimitOf(request.url));
  const req = body ? new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal, duplex: "half" } as RequestInit) : request;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => {
      try {
        return await createContext({ headers });
      } catch (error) {
        // Without a context the error formatter would not know the request id; the failure carries it.
        throw new ContextFailure(requestId, error);
      }
    },
    onError({ error, path }) {
      // Unexpected failures are logged once, whole; the client got a generic message with the request id.
      if (error.code === "INTERNAL_SERVER_ERROR") log.error({ err: error.cause ?? error, path, requestId }, "procedure failed");
    },
    responseMeta({ errors }) {
      const meta = new Headers({ [REQUEST_ID_HEADER]: requestId });
      // A rate-limited client, or one the busy database could not serve, learns when to come back in the standard header too.
      const limited = errors.find((error) => (error.code === "TOO_MANY_REQUESTS" || error.code === "SERVICE_UNAVAILABLE") && error.cause instanceof AppError);
      const retryAfter = (limited?.cause as AppError | undefined)?.details?.retryAfterSeconds;
      if (retryAfter) meta.set("retry-after", String(retryAfter));
      return { headers: meta };
    },
  });
};

export { handler as GET, handler as POST };
