import type { DbClient } from "@/server/db/client";
import { getSettings } from "@/server/services/settings/settings";

/** How much of its storage quota the workspace's uploaded files take, in bytes (in the caller's tenant scope). */
export async function getStorageUsage(db: DbClient, input: { tenantId: string }): Promise<{ usedBytes: number; quotaBytes: number }> {
  const used = await db.upload.aggregate({ _sum: { size: true } });
  const settings = await getSettings(db, { tenantId: input.tenantId });
  return { usedBytes: used._sum.size ?? 0, quotaBytes: settings.values.storage.quotaMb * 1024 * 1024 };
}
