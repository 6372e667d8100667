import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { AppError } from "@/server/errors";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createContext({ headers: req.headers }),
    responseMeta({ errors }) {
      // A rate-limited client learns when to come back in the standard header too.
      const limited = errors.find((error) => error.code === "TOO_MANY_REQUESTS" && error.cause instanceof AppError);
      const retryAfter = (limited?.cause as AppError | undefined)?.details?.retryAfterSeconds;
      return retryAfter ? { headers: new Headers({ "retry-after": String(retryAfter) }) } : {};
    },
  });

export { handler as GET, handler as POST };
