import type { SystemDb } from "@/server/db/client";
import { tenantOwnedModels } from "@/server/db/tenant-scope";

/**
 * Everything a tenant has — its row, its users' rows and sessions and its rows
 * in every tenant-owned table — as one sorted text, one row per line: two snapshots are
 * equal exactly when nothing of the tenant was written or deleted, and a
 * failing comparison shows the rows that changed. One query (the fuzz suite
 * takes one after every call); the tables are enumerated from the scoping
 * rule's own list, so a new tenant table is covered without touching this.
 */
export async function snapshotOfTenant(db: SystemDb, tenant: { tenant: { id: string }; users: Record<string, { id: string }> }): Promise<string> {
  const owned = [...tenantOwnedModels].sort().map((model) => `SELECT '${model} ' || to_jsonb(r)::text FROM "${model}" r WHERE r."tenantId"::text = $1`);
  const rows = await db.$queryRawUnsafe<{ line: string }[]>(
    `SELECT line FROM (
       SELECT 'Tenant ' || to_jsonb(t)::text AS line FROM "Tenant" t WHERE t.id::text = $1
       UNION ALL SELECT 'User ' || to_jsonb(u)::text FROM "User" u WHERE u.id::text = ANY($2::text[])
       UNION ALL SELECT 'Session ' || to_jsonb(s)::text FROM "Session" s WHERE s."userId"::text = ANY($2::text[])
       UNION ALL ${owned.join("\n       UNION ALL ")}
     ) everything ORDER BY line`,
    tenant.tenant.id,
    Object.values(tenant.users).map((user) => user.id),
  );
  return rows.map((row) => row.line).join("\n");
}
