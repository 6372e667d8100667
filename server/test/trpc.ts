import { processPublicUrl } from "@/lib/env";
import type { Principal } from "@/server/auth/principal";
import { createCaller } from "@/server/api/root";
import type { Context } from "@/server/api/trpc";
import { createRateLimiters, type RateLimiters } from "@/server/security/rate-limit";
import type { TestDatabase } from "./database";

/** A tRPC caller with the real context shape, as a given principal (and workspace, for sessions). */
export function callerFor(
  database: TestDatabase,
  principal: Principal | null,
  options: { tenantSlug?: string; limiters?: RateLimiters; invalidApiKey?: boolean; requestId?: string; headers?: Record<string, string> } = {},
) {
  // As the browser sends them (the page's own origin: a session's changes need it), unless a test gives its own.
  const headers = new Headers({ ...(options.headers ?? { origin: new URL(processPublicUrl()).origin }), ...(options.tenantSlug ? { "x-tenant": options.tenantSlug } : {}) });
  const ctx: Context = {
    db: database.appDb,
    systemDb: database.db,
    appPool: database.appPool,
    limiters: options.limiters ?? sharedLimiters(database),
    headers,
    requestId: options.requestId ?? `test-${Math.random().toString(36).slice(2)}`,
    ip: "203.0.113.7",
    principal,
    invalidApiKey: options.invalidApiKey ?? false,
  };
  return createCaller(ctx);
}

const limitersByDatabase = new Map<string, RateLimiters>();

function sharedLimiters(database: TestDatabase): RateLimiters {
  let limiters = limitersByDatabase.get(database.name);
  if (!limiters) {
    limiters = createRateLimiters({ databaseUrl: database.url });
    limitersByDatabase.set(database.name, limiters);
  }
  return limiters;
}
