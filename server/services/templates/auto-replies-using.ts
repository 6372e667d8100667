import type { DbClient } from "@/server/db/client";
import { getSettings } from "@/server/services/settings/settings";

/** The workspace's auto-replies (greeting, away) that send the template with this key, enabled or not. */
export async function autoRepliesUsing(db: DbClient, input: { tenantId: string; key: string }): Promise<("greeting" | "away")[]> {
  const { autoReplies } = (await getSettings(db, { tenantId: input.tenantId })).values;
  return (["greeting", "away"] as const).filter((name) => autoReplies[name].templateKey === input.key);
}
