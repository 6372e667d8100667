import { z } from "zod";
import type { DbClient } from "@/server/db/client";

const rulesSchema = z
  .object({
    conversationRules: z.object({ afterResolved: z.enum(["reopen", "new"]).default("reopen") }).default({ afterResolved: "reopen" }),
  })
  .catch({ conversationRules: { afterResolved: "reopen" } });

/** What a customer's message to a resolved conversation does: reopen it (the default) or start a new one. */
export async function afterResolvedRule(db: DbClient, tenantId: string): Promise<"reopen" | "new"> {
  const settings = await db.tenantSettings.findUnique({ where: { tenantId }, select: { values: true } });
  return rulesSchema.parse(settings?.values ?? {}).conversationRules.afterResolved;
}
