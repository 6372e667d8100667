import { z } from "zod";
import { MAX_BODY_LENGTH, MAX_VARIANTS, templateKindSchema } from "@/lib/templates/schema";
import { adminProcedure, createTRPCRouter, scopedProcedure } from "@/server/api/trpc";
import { deleteTemplate } from "@/server/services/templates/delete-template";
import { getTemplate } from "@/server/services/templates/get-template";
import { listTemplates } from "@/server/services/templates/list-templates";
import { previewTemplate } from "@/server/services/templates/preview-template";
import { saveTemplate } from "@/server/services/templates/save-template";

/**
 * The edge only bounds sizes; a template's rules (key format, locales, ICU) are
 * the service's (lib/templates/schema.ts), whose errors name the exact field —
 * `variants.2.body` — where zod's flattened errors could only say `variants`.
 */
const draftInput = {
  key: z.string().max(200),
  kind: templateKindSchema,
  description: z.string().max(1000).nullish(),
  published: z.boolean(),
  variants: z.array(z.object({ locale: z.string().max(40), body: z.string().max(MAX_BODY_LENGTH * 2) })).max(MAX_VARIANTS * 2),
};

const sampleVariables = z
  .record(z.string().max(100), z.union([z.string().max(1000), z.number().finite()]))
  .refine((variables) => Object.keys(variables).length <= 50, "at most 50 variables")
  .default({});

export const templatesRouter = createTRPCRouter({
  /**
   * The workspace's templates with their per-locale variants (ICU MessageFormat),
   * optionally of one kind and matching a search on key, description or text.
   * The inbox's composer lists the canned responses with it.
   */
  list: scopedProcedure("conversations:read")
    .input(z.object({ kind: templateKindSchema.optional(), search: z.string().trim().max(100).optional() }).default({}))
    .query(({ ctx, input }) => listTemplates(ctx.db, input)),

  get: scopedProcedure("conversations:read")
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getTemplate(ctx.db, input)),

  /** Creates (no id) or replaces a template with its whole set of variants; `expectedUpdatedAt` guards against overwriting someone's edit. */
  // Forty variants of eight thousand characters, escaped as JSON, can pass 1 MB.
  upsert: adminProcedure
    .meta({ maxBodyBytes: 3 * 1024 * 1024 })
    .input(z.object({ id: z.uuid().optional(), ...draftInput, expectedUpdatedAt: z.date().optional() }))
    .mutation(({ ctx, input }) => {
      const { id, expectedUpdatedAt, ...draft } = input;
      return saveTemplate(ctx.db, { tenantId: ctx.tenantId, id, draft, expectedUpdatedAt, actor: ctx.actor });
    }),

  delete: adminProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => deleteTemplate(ctx.db, { tenantId: ctx.tenantId, id: input.id, actor: ctx.actor })),

  /** A stored template (id or key) or unsaved text rendered for a locale with sample variables, saying which variant was used and why. */
  preview: scopedProcedure("conversations:read")
    .input(
      z
        .object({
          id: z.uuid().optional(),
          key: z.string().max(200).optional(),
          body: z.string().max(MAX_BODY_LENGTH).optional(),
          locale: z.string().min(1).max(40),
          variables: sampleVariables,
        })
        .refine((input) => [input.id, input.key, input.body].filter((given) => given !== undefined).length === 1, "give exactly one of id, key or body"),
    )
    .query(({ ctx, input }) => {
      const source = input.id !== undefined ? { id: input.id } : input.key !== undefined ? { key: input.key } : { body: input.body! };
      return previewTemplate(ctx.db, { tenantId: ctx.tenantId, source, locale: input.locale, variables: input.variables });
    }),
});
