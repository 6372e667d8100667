import type { DbClient } from "@/server/db/client";
import { vapidKeys } from "@/server/config/vapid";

/** What a browser needs to subscribe (the server's public key; null: push is off here), and how many devices the person has. */
export async function pushStatus(db: DbClient, input: { userId: string; endpoint?: string }) {
  const [devices, here] = await Promise.all([
    db.pushSubscription.count({ where: { userId: input.userId } }),
    input.endpoint ? db.pushSubscription.count({ where: { userId: input.userId, endpoint: input.endpoint } }) : Promise.resolve(0),
  ]);
  return { publicKey: vapidKeys()?.publicKey ?? null, devices, subscribedHere: here > 0 };
}
