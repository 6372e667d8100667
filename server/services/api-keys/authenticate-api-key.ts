import { apiScopes, type ApiScope } from "@/lib/api-scopes";
import type { SystemDb } from "@/server/db/client";
import { hashApiKey } from "./create-api-key";

const keyFormat = /^sck_[\w-]{8}_[\w-]{43}$/;
/** lastUsedAt is a hint for people, not an audit trail: write it at most once a minute per key. */
const LAST_USED_PRECISION_MS = 60_000;

export type ApiKeyPrincipal = { kind: "apiKey"; apiKeyId: string; tenantId: string; scopes: ApiScope[] };

/**
 * The key's tenant is not known until the key is found, so this lookup uses the
 * system client. A revoked key is refused on the very next request.
 */
export async function authenticateApiKey(db: SystemDb, key: string): Promise<ApiKeyPrincipal | null> {
  if (!keyFormat.test(key)) return null;
  const found = await db.apiKey.findUnique({
    where: { keyHash: hashApiKey(key) },
    select: { id: true, tenantId: true, scopes: true, revokedAt: true, lastUsedAt: true },
  });
  if (!found || found.revokedAt) return null;
  const now = Date.now();
  if (!found.lastUsedAt || now - found.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await db.apiKey.update({ where: { id: found.id }, data: { lastUsedAt: new Date(now) } });
  }
  return {
    kind: "apiKey",
    apiKeyId: found.id,
    tenantId: found.tenantId,
    scopes: found.scopes.filter((scope): scope is ApiScope => (apiScopes as readonly string[]).includes(scope)),
  };
}
