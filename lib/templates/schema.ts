import { z } from "zod";

/** The rules of a template as its editor saves it (server/services/templates checks them; a form can too, with templateDraftSchema). */

export const templateKinds = ["canned", "auto_reply", "public"] as const;

export const templateKindSchema = z.enum(templateKinds, { message: "must be canned, auto_reply or public" });

const templateKeySchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, "use up to 100 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit");

/** The locale a variant is written in: a language, optionally with a region (en, ru, pt-BR), like the workspace's default locale. */
const variantLocaleSchema = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, "a language code such as en, ru or pt-BR");

export const MAX_BODY_LENGTH = 4000;
export const MAX_VARIANTS = 20;

const variantBodySchema = z
  .string()
  .max(MAX_BODY_LENGTH, `at most ${MAX_BODY_LENGTH.toLocaleString("en")} characters`)
  .refine((body) => body.trim().length > 0, "write the text");

export const templateDraftSchema = z.object({
  key: templateKeySchema,
  kind: templateKindSchema,
  description: z
    .string()
    .trim()
    .max(500, "at most 500 characters")
    .nullish()
    .transform((value) => value || null),
  published: z.boolean(),
  variants: z
    .array(z.object({ locale: variantLocaleSchema, body: variantBodySchema }))
    .min(1, "add the text in at least one language")
    .max(MAX_VARIANTS, `at most ${MAX_VARIANTS} languages`)
    .superRefine((variants, context) => {
      const seen = new Set<string>();
      variants.forEach((variant, index) => {
        if (seen.has(variant.locale)) context.addIssue({ code: "custom", path: [index, "locale"], message: `${variant.locale} appears more than once` });
        seen.add(variant.locale);
      });
    }),
});

export type TemplateDraft = z.input<typeof templateDraftSchema>;
