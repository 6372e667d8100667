import type { ApiScope } from "@/lib/api-scopes";
import type { SystemDb } from "@/server/db/client";
import type { Role } from "@/server/db/generated/client";
import { membershipIn } from "./memberships";
import { principalFromHeaders, type Principal } from "./principal";

/**
 * For plain route handlers under /api/t/<slug>/…: who is calling and whether
 * they may act in that workspace — a member (session cookie), or the
 * workspace's own API key carrying `scope`. Anything else looks like nothing there.
 */
export async function tenantForRequest(
  systemDb: SystemDb,
  headers: Headers,
  slug: string,
  scope: ApiScope,
): Promise<{ status: 401 | 404 } | { tenantId: string; principal: Principal; role: Role }> {
  const { principal } = await principalFromHeaders(systemDb, headers);
  if (!principal) return { status: 401 };
  if (principal.kind === "user") {
    const membership = await membershipIn(systemDb, principal.userId, slug);
    return membership ? { tenantId: membership.tenant.id, principal, role: membership.role } : { status: 404 };
  }
  if (!principal.scopes.includes(scope)) return { status: 404 };
  const tenant = await systemDb.tenant.findUnique({ where: { slug }, select: { id: true } });
  // A key acts as an admin with the admin scope, as an agent without it (as tenantProcedure has it).
  return tenant?.id === principal.tenantId ? { tenantId: tenant.id, principal, role: principal.scopes.includes("admin") ? "admin" : "agent" } : { status: 404 };
}
