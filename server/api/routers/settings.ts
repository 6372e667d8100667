import { z } from "zod";
import { settingKeys, type SettingKey } from "@/lib/settings/schema";
import { adminProcedure, createTRPCRouter } from "@/server/api/trpc";
import { getSettings, settingsHistory, updateSettings } from "@/server/services/settings/settings";
import { getStorageUsage } from "@/server/services/uploads/get-storage-usage";

/** Each setting may be given (checked by its own schema in the service) or null to return it to its default. */
const changesSchema = z
  .object(Object.fromEntries(settingKeys.map((key) => [key, z.unknown().optional()])) as Record<SettingKey, z.ZodOptional<z.ZodUnknown>>)
  .strict();

export const settingsRouter = createTRPCRouter({
  /** Every setting's effective value and where it comes from: built-in, environment (APP_ENV) or workspace. */
  get: adminProcedure.query(({ ctx }) => getSettings(ctx.db, { tenantId: ctx.tenantId })),

  update: adminProcedure
    .input(z.object({ changes: changesSchema, expectedVersion: z.number().int().min(0).optional() }))
    .mutation(({ ctx, input }) => updateSettings(ctx.db, { tenantId: ctx.tenantId, changes: input.changes, expectedVersion: input.expectedVersion, actor: ctx.actor })),

  history: adminProcedure
    .input(z.object({ key: z.enum(settingKeys as [SettingKey, ...SettingKey[]]).optional(), limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => settingsHistory(ctx.db, input)),

  /** What the workspace's uploaded files take of its storage quota (the `storage` setting), in bytes. */
  storageUsage: adminProcedure.query(({ ctx }) => getStorageUsage(ctx.db, { tenantId: ctx.tenantId })),
});
