import { createNamedLimiters, type Limit } from "@/server/security/rate-limit";
import { channelKinds, adapterFor } from "../registry";

/**
 * Every channel's declared sending limits as limiters shared by all workers
 * (Redis when configured, else PostgreSQL), named `<kind>.<limit>`; an adapter
 * names the ones a send passes through `takeTurn`.
 */
export function createSendLimits(store: { redisUrl?: string; databaseUrl: string }, overrides: Record<string, Limit> = {}) {
  const declared: Record<string, Limit> = {};
  for (const kind of channelKinds()) {
    for (const [name, limit] of Object.entries(adapterFor(kind).sendLimits ?? {})) declared[`${kind}.${name}`] = limit;
  }
  return createNamedLimiters(store, { ...declared, ...overrides });
}

export type SendLimits = ReturnType<typeof createSendLimits>;
