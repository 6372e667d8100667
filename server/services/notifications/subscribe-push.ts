import type { DbClient } from "@/server/db/client";

export type PushSubscriptionInput = { endpoint: string; keys: { p256dh: string; auth: string } };

/**
 * Registers this browser for the person's pushes in the workspace (the subscription its
 * PushManager made). The same endpoint again — the browser renewed its keys, or another
 * person signed in on it — replaces the earlier registration: a device pushes to one person.
 */
export async function subscribePush(db: DbClient, input: { tenantId: string; userId: string; subscription: PushSubscriptionInput; userAgent?: string | null }) {
  const { endpoint, keys } = input.subscription;
  const data = { userId: input.userId, p256dh: keys.p256dh, auth: keys.auth, userAgent: input.userAgent?.slice(0, 512) ?? null };
  const row = await db.pushSubscription.upsert({
    where: { tenantId_endpoint: { tenantId: input.tenantId, endpoint } },
    create: { tenantId: input.tenantId, endpoint, ...data },
    update: data,
    select: { id: true, createdAt: true },
  });
  return { id: row.id, devices: await db.pushSubscription.count({ where: { userId: input.userId } }) };
}
