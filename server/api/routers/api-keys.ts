import { z } from "zod";
import { apiKeyNameSchema, apiScopesSchema } from "@/lib/validation";
import { adminProcedure, createTRPCRouter } from "@/server/api/trpc";
import { createApiKey } from "@/server/services/api-keys/create-api-key";
import { listApiKeys } from "@/server/services/api-keys/list-api-keys";
import { revokeApiKey } from "@/server/services/api-keys/revoke-api-key";

export const apiKeysRouter = createTRPCRouter({
  /** The key is in this response only; it is stored as a hash. */
  create: adminProcedure
    .input(z.object({ name: apiKeyNameSchema, scopes: apiScopesSchema }))
    .mutation(async ({ ctx, input }) => {
      const { apiKey, key } = await createApiKey(ctx.db, { tenantId: ctx.tenantId, name: input.name, scopes: input.scopes, actor: ctx.actor });
      return { id: apiKey.id, name: apiKey.name, prefix: apiKey.prefix, scopes: apiKey.scopes, createdAt: apiKey.createdAt, key };
    }),

  list: adminProcedure.query(({ ctx }) => listApiKeys(ctx.db)),

  revoke: adminProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const revoked = await revokeApiKey(ctx.db, { tenantId: ctx.tenantId, id: input.id, actor: ctx.actor });
    return { id: revoked.id, revokedAt: revoked.revokedAt };
  }),
});
