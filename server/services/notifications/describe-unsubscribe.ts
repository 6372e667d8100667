import type { DbClient } from "@/server/db/client";

/** What an unsubscribe page names: the address the emails go to, and the workspace they come from (null: the person left it). */
export async function describeUnsubscribe(db: DbClient, input: { userId: string }) {
  const member = await db.membership.findFirst({ where: { userId: input.userId }, select: { user: { select: { email: true } }, tenant: { select: { name: true } } } });
  return member ? { email: member.user.email, workspace: member.tenant.name } : null;
}
