import { AsyncLocalStorage } from "node:async_hooks";

/** The request being handled, for code that is not handed it (tRPC's error formatter when there is no context). */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();
