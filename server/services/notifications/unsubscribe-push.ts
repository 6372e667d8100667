import type { DbClient } from "@/server/db/client";

/** Stops pushes to this browser (the endpoint it subscribed with); another person's device is not theirs to remove. */
export async function unsubscribePush(db: DbClient, input: { userId: string; endpoint: string }) {
  const { count } = await db.pushSubscription.deleteMany({ where: { userId: input.userId, endpoint: input.endpoint } });
  return { removed: count, devices: await db.pushSubscription.count({ where: { userId: input.userId } }) };
}
