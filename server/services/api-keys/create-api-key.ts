import { createHash, randomBytes } from "node:crypto";
import type { ApiScope } from "@/lib/api-scopes";
import type { Db } from "@/server/db/client";

/**
 * Keys look like `sck_<8 chars>_<43 chars>`. The first part is the prefix shown
 * in lists; only a SHA-256 of the whole key is stored (the key carries 256 bits
 * of randomness, so a fast hash is not brute-forceable).
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export async function createApiKey(
  db: Db,
  input: { tenantId: string; name: string; scopes: ApiScope[]; createdById?: string },
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
      createdById: input.createdById,
    },
  });
  return { apiKey, key };
}
