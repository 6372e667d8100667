import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import { apiScopes, type ApiScope } from "@/lib/api-scopes";
import { clientIp } from "@/server/auth/client-ip";
import { membershipIn, membershipsOf } from "@/server/auth/memberships";
import { principalFromHeaders, type Principal } from "@/server/auth/principal";
import { announceEvents } from "@/server/realtime/announce";
import type pg from "pg";
import { getAppPool } from "@/server/db/app-pool";
import { getDb, getSystemDb, type AppDb, type DbClient, type SystemDb } from "@/server/db/client";
import type { Role } from "@/server/db/generated/enums";
import { withTenant } from "@/server/db/tenant-scope";
import { AppError, isDatabaseBusy } from "@/server/errors";
import { consumeOrThrow, getRateLimiters, type RateLimiters } from "@/server/security/rate-limit";
import type { Actor } from "@/server/services/audit/record-audit";
import { metrics } from "@/server/metrics/registry";
import { inSpan, markCurrentSpanFailed } from "@/server/telemetry/tracing";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/server/http/api-error";
import { CROSS_SITE_REFUSAL, isSameOriginRequest } from "@/server/http/same-origin";
import { unsafeTextPaths } from "@/server/security/clean-text";

/**
 * 1. Context: who is calling and from where, resolved once per request from the
 *    session cookie or an API key. The tenant is not chosen here: a session may
 *    belong to several tenants, so `tenantProcedure` resolves it.
 */
export type Context = {
  db: AppDb;
  systemDb: SystemDb;
  /** The app role over node-postgres, for what runs Telegram intake's own path (retrying a quarantined update). */
  appPool: pg.Pool;
  limiters: Pick<RateLimiters, "apiKey" | "typing" | "passwordChange">;
  headers: Headers;
  requestId: string;
  ip: string;
  principal: Principal | null;
  invalidApiKey: boolean;
};

export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const systemDb = getSystemDb();
  const { principal, invalidApiKey } = await principalFromHeaders(systemDb, opts.headers);
  return {
    db: getDb(),
    systemDb,
    appPool: getAppPool(),
    limiters: getRateLimiters(),
    headers: opts.headers,
    requestId: requestIdFrom(opts.headers.get(REQUEST_ID_HEADER)),
    ip: clientIp(opts.headers),
    principal,
    invalidApiKey,
  };
}

/** Creating the context failed (the database is unreachable, say): the failure keeps the request's id for the error. */
export class ContextFailure extends Error {
  constructor(
    readonly requestId: string,
    cause: unknown,
  ) {
    super("the request could not be set up", { cause });
    this.name = "ContextFailure";
  }
}

/**
 * What a procedure's data needs, declared on every procedure with `.meta({ access })`
 * (`scopedProcedure(...scopes)` declares its scopes): `public` for anyone, `signed-in`
 * for any user or key, `workspace` for any member or key of the tenant, or the API
 * scopes a key must carry (all of them: a procedure answering with contact fields
 * needs `contacts:read` besides its own). A procedure without a declaration is
 * refused (and server/api/access.test.ts fails for it), so none can be added by
 * forgetting. Private notes need `notes:read`: lists leave them out without it.
 * Members have every scope.
 */
export type Access = "public" | "signed-in" | "workspace" | ApiScope | ApiScope[];
/**
 * `maxBodyBytes`: a procedure whose input may honestly be larger than the API's
 * 1 MB body limit declares how large (the route reads no further; server/http/body-limit.ts).
 */
export type Meta = { access?: Access; maxBodyBytes?: number };

/**
 * The field errors a client gets in `data.fieldErrors`: a zod error's messages by
 * the dotted path of the field each is about (`variants.2.body`), or those a
 * service put in its AppError, keyed the same way.
 */
export function fieldErrorsOf(cause: unknown): Record<string, string[]> | undefined {
  if (cause instanceof AppError) return cause.details?.fieldErrors as Record<string, string[]> | undefined;
  if (!(cause instanceof z.ZodError)) return undefined;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of cause.issues) (fieldErrors[issue.path.map(String).join(".") || "input"] ??= []).push(issue.message);
  return fieldErrors;
}

/**
 * 2. Initialisation: superjson for Dates and BigInts; zod errors flattened into
 *    field errors a form can show next to each field (a service's own too); the wait of a rate limit.
 */
const t = initTRPC.context<Context>().meta<Meta>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    const requestId = ctx?.requestId ?? (cause instanceof ContextFailure ? cause.requestId : undefined);
    // What went wrong inside is for the log (the route handler writes it once, with this id), not the client.
    const hidden = error.code === "INTERNAL_SERVER_ERROR" && process.env.NODE_ENV === "production";
    // No stack traces to clients in production.
    const data = { ...shape.data };
    if (process.env.NODE_ENV === "production") delete data.stack;
    return {
      ...shape,
      message: hidden ? `something went wrong on our side; quote request id ${requestId ?? "(none)"} when you report it` : shape.message,
      data: {
        ...data,
        requestId,
        fieldErrors: fieldErrorsOf(cause),
        retryAfterSeconds: cause instanceof AppError ? (cause.details?.retryAfterSeconds as number | undefined) : undefined,
        // A machine-readable why, for UIs that branch on it (never on message text).
        reason: cause instanceof AppError && typeof cause.details?.reason === "string" ? cause.details.reason : undefined,
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

const BUSY_RETRY_AFTER_SECONDS = 2;

/** Domain errors thrown by services become the matching tRPC error, once, here; so does a database too busy to answer. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: appErrorToTRPC[cause.code], message: cause.message, cause });
  }
  // Under overload a transaction waits for a connection and gives up: a 503 to come back to, not a 500.
  if (!result.ok && isDatabaseBusy(result.error.cause)) {
    const busy = new AppError("SERVICE_UNAVAILABLE", "the service is busy right now; try again in a few seconds", { retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS });
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: busy.message, cause: busy });
  }
  return result;
});

/** 3. The procedure ladder. */
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Every call's duration and outcome, by procedure (a fixed set of names: no ids in labels). */
const timed = t.middleware(async ({ path, type, next }) => {
  const started = performance.now();
  const result = await inSpan(`trpc ${path}`, { attributes: { "rpc.system": "trpc", "rpc.method": path } }, async () => {
    const outcome = await next();
    if (!outcome.ok) markCurrentSpanFailed(outcome.error.code);
    return outcome;
  });
  metrics().trpcDuration.observe({ procedure: path, type, result: result.ok ? "ok" : result.error.code }, (performance.now() - started) / 1000);
  return result;
});

/** A procedure that declares no access is a mistake, refused before it runs. */
const declared = t.middleware(({ meta, path, next }) => {
  if (!meta?.access) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `${path} declares no access` });
  return next();
});

/**
 * The edge's text check: a string holding NUL or an unpaired surrogate (which
 * PostgreSQL cannot store) is refused with a field error naming where it is,
 * before zod or a service sees it (server/security/clean-text.ts).
 */
const safeText = t.middleware(async ({ getRawInput, next }) => {
  const paths = unsafeTextPaths(await getRawInput());
  if (paths.length > 0) {
    const message = "must not contain NUL characters or unpaired surrogates";
    throw new TRPCError({
      code: "BAD_REQUEST",
      cause: new AppError("BAD_REQUEST", `${paths.join(", ")}: ${message}`, { fieldErrors: Object.fromEntries(paths.map((path) => [path, [message]])) }),
    });
  }
  return next();
});

export const publicProcedure = t.procedure.use(timed).use(mapDomainErrors).use(declared).use(safeText);

/**
 * A signed-in user or a live API key; API keys are rate limited per key. A
 * session's changes must come from this product's own pages: the browser sends
 * the page's Origin, which a form or script on another site cannot forge.
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, next, type }) => {
  if (ctx.invalidApiKey) throw new TRPCError({ code: "UNAUTHORIZED", message: "invalid or revoked API key" });
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in or pass an API key" });
  if (type === "mutation" && ctx.principal.kind === "user" && !isSameOriginRequest(ctx.headers)) {
    throw new TRPCError({ code: "FORBIDDEN", message: CROSS_SITE_REFUSAL });
  }
  if (ctx.principal.kind === "apiKey") {
    await consumeOrThrow(ctx.limiters.apiKey, ctx.principal.apiKeyId, "this API key made too many requests");
  }
  return next({ ctx: { principal: ctx.principal } });
});


/** A person's own account (their language, sessions, password): signed-in users only, never an API key. */
export const userProcedure = authedProcedure.meta({ access: "signed-in" }).use(({ ctx, next }) => {
  if (ctx.principal.kind !== "user") throw new TRPCError({ code: "FORBIDDEN", message: "an API key has no account; sign in" });
  return next({ ctx: { user: ctx.principal, actor: { userId: ctx.principal.userId, requestId: ctx.requestId, ip: ctx.ip } satisfies Actor } });
});

/**
 * Bound to one tenant: the API key's, or for a session the tenant named by the
 * `x-tenant` header (the slug of the /t/<slug> page), checked against the user's
 * memberships — once, here. A tenant the caller does not belong to is NOT_FOUND,
 * exactly like one that does not exist. Everything after runs in one transaction
 * whose queries are scoped to that tenant (the Prisma extension and row-level security).
 */
export const tenantProcedure = authedProcedure.use(async ({ ctx, meta, next, type }) => {
  let tenantId: string;
  let role: Role;
  let scopes: ApiScope[];
  if (ctx.principal.kind === "apiKey") {
    tenantId = ctx.principal.tenantId;
    scopes = ctx.principal.scopes;
    role = scopes.includes("admin") ? "admin" : "agent";
  } else {
    const slug = ctx.headers.get("x-tenant");
    const membership = slug
      ? await membershipIn(ctx.systemDb, ctx.principal.userId, slug)
      : await membershipsOf(ctx.systemDb, ctx.principal.userId).then((all) => (all.length === 1 ? all[0] : undefined));
    if (!membership) {
      throw new TRPCError({ code: "NOT_FOUND", message: slug ? "workspace not found" : "name the workspace in the x-tenant header" });
    }
    tenantId = membership.tenant.id;
    role = membership.role;
    scopes = [...apiScopes];
  }
  const access = meta?.access;
  if (access === "public" || access === "signed-in") throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `a workspace procedure cannot be ${access}` });
  const lacking = access === "workspace" || access === undefined ? undefined : [access].flat().find((scope) => !scopes.includes(scope));
  if (lacking) throw new TRPCError({ code: "FORBIDDEN", message: `this API key lacks the ${lacking} scope` });
  const actor: Actor = {
    userId: ctx.principal.kind === "user" ? ctx.principal.userId : undefined,
    apiKeyId: ctx.principal.kind === "apiKey" ? ctx.principal.apiKeyId : undefined,
    requestId: ctx.requestId,
    ip: ctx.ip,
  };
  const result = await withTenant(ctx.db, tenantId, async (tx) => {
    const result = await next({ ctx: { db: tx as DbClient, tenantId, role, scopes, actor } });
    // A failed procedure must not commit what it wrote before failing.
    if (!result.ok) throw result.error;
    return result;
  }, { requestId: ctx.requestId });
  // What a change recorded in the event log reaches agents through (see server/realtime/announce.ts).
  if (type === "mutation") announceEvents(ctx.systemDb);
  return result;
});

/**
 * A tenant procedure an API key may call only with every one of `scopes`; members have every scope.
 * Declared in the meta (what tenantProcedure checks and the access test reads) and checked here
 * again, since a later `.meta()` on the procedure would replace the declaration.
 */
export function scopedProcedure(...scopes: [ApiScope, ...ApiScope[]]) {
  return tenantProcedure.meta({ access: scopes.length === 1 ? scopes[0] : scopes }).use(({ ctx, next }) => {
    const lacking = scopes.find((scope) => !ctx.scopes.includes(scope));
    if (lacking) throw new TRPCError({ code: "FORBIDDEN", message: `this API key lacks the ${lacking} scope` });
    return next();
  });
}

/**
 * A member's own things in the workspace (the x-tenant one) — their notifications, their devices:
 * a signed-in person only; an API key has none.
 */
export const memberProcedure = tenantProcedure.meta({ access: "workspace" }).use(({ ctx, next }) => {
  if (ctx.principal.kind !== "user") throw new TRPCError({ code: "FORBIDDEN", message: "an API key has no notifications of its own; sign in" });
  return next({ ctx: { userId: ctx.principal.userId } });
});

export const adminProcedure = scopedProcedure("admin").use(({ ctx, next }) => {
  if (ctx.role !== "owner" && ctx.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "only owners and admins can do this" });
  }
  return next();
});

export const ownerProcedure = scopedProcedure("admin").use(({ ctx, next }) => {
  if (ctx.principal.kind !== "user" || ctx.role !== "owner") {
    throw new TRPCError({ code: "FORBIDDEN", message: "only an owner can do this" });
  }
  return next();
});
