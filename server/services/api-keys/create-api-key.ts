import { createHash, randomBytes } from "node:crypto";
import type { ApiScope } from "@/lib/api-scopes";
import type { DbClient } from "@/server/db/client";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";

/**
 * Keys look like `sck_<8 chars>_<43 chars>`. The first part is the prefix shown
 * in lists; only a SHA-256 of the whole key is stored (the key carries 256 bits
 * of randomness, so a fast hash is not brute-forceable).
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export async function createApiKey(
  db: DbClient,
  input: { tenantId: string; name: string; scopes: ApiScope[]; actor: Actor },
) {
  const prefix = `sck_${randomBytes(6).toString("base64url")}`;
  const key = `${prefix}_${randomBytes(32).toString("base64url")}`;
  const apiKey = await db.apiKey.create({
    data: {
      tenantId: input.tenantId,
      name: input.name,
      prefix,
      keyHash: hashApiKey(key),
      scopes: input.scopes,
      createdById: input.actor.userId,
    },
  });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "api_key.created",
    actor: input.actor,
    targetType: "api_key",
    targetId: apiKey.id,
    metadata: { name: apiKey.name, prefix, scopes: input.scopes },
  });
  return { apiKey, key };
}
