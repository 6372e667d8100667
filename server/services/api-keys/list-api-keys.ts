import type { DbClient } from "@/server/db/client";

/** Everything about the keys except what would let anyone use them. */
export async function listApiKeys(db: DbClient) {
  const keys = await db.apiKey.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      createdBy: { select: { id: true, name: true, email: true } },
    },
  });
  return keys;
}
