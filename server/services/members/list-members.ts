import type { DbClient } from "@/server/db/client";

export async function listMembers(db: DbClient) {
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      orderBy: { createdAt: "asc" },
      // Availability and capacity (null: the workspace's default) for the assignee picker, the members page and presence.
      select: { id: true, role: true, availability: true, capacity: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
    }),
    db.invitation.findMany({
      where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    }),
  ]);
  return { members, invitations };
}
