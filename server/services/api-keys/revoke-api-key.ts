import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";

export async function revokeApiKey(db: DbClient, input: { tenantId: string; id: string; actor: Actor }) {
  const key = await db.apiKey.findUnique({ where: { id: input.id } });
  if (!key) throw new AppError("NOT_FOUND", "no such API key");
  if (key.revokedAt) return key;
  const revoked = await db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "api_key.revoked",
    actor: input.actor,
    targetType: "api_key",
    targetId: key.id,
    metadata: { name: key.name, prefix: key.prefix },
  });
  return revoked;
}
