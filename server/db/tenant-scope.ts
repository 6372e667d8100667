import { AsyncLocalStorage } from "node:async_hooks";
import { currentTraceparent } from "@/server/telemetry/tracing";
import { Prisma } from "./generated/client";

/**
 * Tenant isolation, first line: every query on a tenant-owned model made
 * through the app client is limited to the tenant of the current request, held
 * in async-local storage by `withTenant`. The second line is PostgreSQL's
 * row-level security on the same tables (see the access migration), keyed on
 * the `app.tenant_id` setting that `withTenant` sets for its transaction.
 */

/** Every model with a `tenantId`; server/db/tenant-scope.test.ts keeps this list complete. */
export const tenantOwnedModels = new Set<string>([
  "SettingsVersion",
  "Membership",
  "ApiKey",
  "Invitation",
  "Channel",
  "TelegramChannel",
  "WebWidgetChannel",
  "Contact",
  "ContactIdentity",
  "Conversation",
  "Message",
  "Event",
  "ProcessedUpdate",
  "TenantSettings",
  "Template",
  "TemplateVariant",
  "AuditLog",
  "Upload",
  "QuarantinedUpdate",
  "Team",
  "TeamMember",
  "AssignmentPolicy",
  "ConversationParticipant",
  "Notification",
  "NotificationPreference",
  "PushSubscription",
  "NotificationEmail",
  "ReportFact",
  "ReportState",
]);

// One store per process: Next.js bundles each route separately, so a module-level
// instance would differ between the bundle that created the (process-wide) client
// and the bundle that calls withTenant.
const globalForScope = globalThis as unknown as { supportChatTenantStorage?: AsyncLocalStorage<{ tenantId: string }> };
const storage = (globalForScope.supportChatTenantStorage ??= new AsyncLocalStorage<{ tenantId: string }>());

export function currentTenantId(): string | undefined {
  return storage.getStore()?.tenantId;
}

export class MissingTenantError extends Error {
  constructor(model: string, operation: string) {
    super(`${model}.${operation} was called outside a tenant scope; wrap it in withTenant()`);
    this.name = "MissingTenantError";
  }
}

type Args = Record<string, unknown> & { where?: unknown; data?: unknown; create?: unknown };

const andTenant = (where: unknown, tenantId: string) => (where ? { AND: [where, { tenantId }] } : { tenantId });

/** The same arguments, narrowed to one tenant (reads, updates, deletes) or stamped with it (creates). */
function scopeArgs(operation: string, args: Args, tenantId: string): Args {
  switch (operation) {
    case "findUnique":
    case "findUniqueOrThrow":
    case "update":
    case "delete":
      // Unique filters accept extra non-unique fields, so the tenant is added beside them.
      return { ...args, where: { ...(args.where as object), tenantId } };
    case "upsert":
      return { ...args, where: { ...(args.where as object), tenantId }, create: { ...(args.create as object), tenantId } };
    case "create":
      return { ...args, data: { ...(args.data as object), tenantId } };
    case "createMany":
    case "createManyAndReturn": {
      const rows = Array.isArray(args.data) ? args.data : [args.data];
      return { ...args, data: rows.map((row: object) => ({ ...row, tenantId })) };
    }
    default:
      // findMany, findFirst(OrThrow), count, aggregate, groupBy, updateMany(AndReturn), deleteMany
      return { ...args, where: andTenant(args.where, tenantId) };
  }
}

export const tenantScope = Prisma.defineExtension({
  name: "tenant-scope",
  query: {
    $allModels: {
      async $allOperations({ model, operation, args, query }) {
        if (!tenantOwnedModels.has(model)) return query(args);
        const tenantId = currentTenantId();
        if (!tenantId) throw new MissingTenantError(model, operation);
        return query(scopeArgs(operation, (args ?? {}) as Args, tenantId) as typeof args);
      },
    },
  },
});

type TransactionCapable<Tx> = {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
};

/** What a transaction records about why it ran, beside its tenant. */
export type TransactionOrigin = {
  /**
   * The request (or job) it works for. Set as `app.request_id` for the transaction:
   * events written in it record it and jobs enqueued in it carry it (the Event
   * column's default and public.app_add_job read the setting), so nobody has to
   * remember to pass it on.
   */
  requestId?: string;
};

/** The transaction's settings beyond the tenant: the request id, and the trace context when tracing is on. */
export function originSettings(origin: TransactionOrigin): { requestId: string; traceparent: string } {
  return { requestId: origin.requestId ?? "", traceparent: currentTraceparent() };
}

/**
 * Runs `fn` in one transaction bound to `tenantId`: the scope extension sees the
 * tenant, and PostgreSQL's `app.tenant_id` is set for this transaction only.
 */
export function withTenant<Tx extends { $executeRaw: Prisma.TransactionClient["$executeRaw"] }, R>(
  db: TransactionCapable<Tx>,
  tenantId: string,
  fn: (tx: Tx) => Promise<R>,
  origin: TransactionOrigin = {},
): Promise<R> {
  // Read here, not inside the transaction, where the active span is Prisma's own.
  const { requestId, traceparent } = originSettings(origin);
  return storage.run({ tenantId }, () =>
    db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true), set_config('app.request_id', ${requestId}, true), set_config('app.traceparent', ${traceparent}, true)`;
        return fn(tx);
      },
      { maxWait: 5_000, timeout: 20_000 },
    ),
  );
}
