import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { ContextFailure, createContext } from "@/server/api/trpc";
import { AppError } from "@/server/errors";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/api-error";
import { createLogger } from "@/server/logger";

const log = createLogger("web");

const handler = (req: Request) => {
  // The web process gives every request an id; a direct call (tests) gets one here.
  const requestId = requestIdFrom(req.headers.get(REQUEST_ID_HEADER));
  const headers = new Headers(req.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
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
      // A rate-limited client learns when to come back in the standard header too.
      const limited = errors.find((error) => error.code === "TOO_MANY_REQUESTS" && error.cause instanceof AppError);
      const retryAfter = (limited?.cause as AppError | undefined)?.details?.retryAfterSeconds;
      if (retryAfter) meta.set("retry-after", String(retryAfter));
      return { headers: meta };
    },
  });
};

export { handler as GET, handler as POST };
