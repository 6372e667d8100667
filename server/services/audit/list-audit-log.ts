import type { DbClient } from "@/server/db/client";
import type { AuditAction } from "@/lib/audit/actions";

export type AuditLogFilter = {
  action?: AuditAction;
  actorUserId?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
};

/** Newest first, in pages; the tenant comes from the scoped client. */
export async function listAuditLog(db: DbClient, filter: AuditLogFilter) {
  const rows = await db.auditLog.findMany({
    where: {
      action: filter.action,
      actorUserId: filter.actorUserId,
      createdAt: { gte: filter.from, lte: filter.to },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, filter.limit);
  const actorIds = [...new Set(page.map((row) => row.actorUserId).filter((id): id is string => id !== null))];
  const actors = await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } });
  const byId = new Map(actors.map((actor) => [actor.id, actor]));
  return {
    items: page.map((row) => ({ ...row, actor: row.actorUserId ? (byId.get(row.actorUserId) ?? null) : null })),
    nextCursor: rows.length > filter.limit ? page[page.length - 1]!.id : null,
  };
}
