import type { AppDb } from "@/server/db/client";
import { withTenant } from "@/server/db/tenant-scope";
import { describeUnsubscribe } from "./describe-unsubscribe";
import { unsubscribeEmail } from "./unsubscribe-email";
import { verifyUnsubscribeToken, type Unsubscribe } from "./unsubscribe-token";

export type UnsubscribeLink = Unsubscribe & { email: string; workspace: string };

/** The unsubscribe an email's link stands for, checked (null: forged, expired, or the person left the workspace); `apply` carries it out. */
export async function unsubscribeByLink(db: AppDb, input: { token: unknown; secret: string; apply: boolean }): Promise<UnsubscribeLink | null> {
  const unsubscribe = await verifyUnsubscribeToken(input.token, input.secret);
  if (!unsubscribe) return null;
  return withTenant(db, unsubscribe.tenantId, async (tx) => {
    const described = await describeUnsubscribe(tx, unsubscribe);
    if (!described) return null;
    if (input.apply) await unsubscribeEmail(tx, unsubscribe);
    return { ...unsubscribe, ...described };
  });
}
