import { parseMessage } from "@/lib/templates/parse-message";
import { templateDraftSchema, type TemplateDraft } from "@/lib/templates/schema";
import type { DbClient } from "@/server/db/client";
import { AppError, isUniqueViolation } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { autoRepliesUsing } from "./auto-replies-using";
import { getTemplate } from "./get-template";

type FieldErrors = Record<string, string[]>;

const fieldError = (fieldErrors: FieldErrors, field: string, message: string) => (fieldErrors[field] ??= []).push(message);

/** The draft's rules, then every body through the ICU parser; errors keyed by field (`key`, `variants.2.body`). */
function validDraft(draft: TemplateDraft) {
  const fieldErrors: FieldErrors = {};
  const parsed = templateDraftSchema.safeParse(draft);
  if (parsed.success) {
    parsed.data.variants.forEach((variant, index) => {
      const message = parseMessage(variant.body);
      if (!message.ok) fieldError(fieldErrors, `variants.${index}.body`, message.problem.message);
    });
  } else {
    for (const issue of parsed.error.issues) fieldError(fieldErrors, issue.path.join(".") || "template", issue.message);
  }
  if (!parsed.success || Object.keys(fieldErrors).length > 0) {
    const summary = Object.entries(fieldErrors).map(([field, messages]) => `${field}: ${messages[0]}`);
    throw new AppError("BAD_REQUEST", `the template is not valid (${summary.join("; ")})`, { fieldErrors });
  }
  return parsed.data;
}

const keyTaken = (key: string) =>
  new AppError("CONFLICT", `a template with the key "${key}" already exists`, { fieldErrors: { key: ["another template already has this key"] } });

/**
 * Creates a template (no `id`) or replaces one: its key, kind, description,
 * published flag and its whole set of variants. The key is unique in the
 * workspace; each body must be valid ICU MessageFormat. With
 * `expectedUpdatedAt`, a change saved meanwhile by someone else is a CONFLICT
 * rather than silently overwritten. A key the auto-replies send by cannot be
 * renamed from under them. Runs in the caller's transaction.
 */
export async function saveTemplate(
  db: DbClient,
  input: { tenantId: string; id?: string; draft: TemplateDraft; expectedUpdatedAt?: Date; actor: Actor },
) {
  const draft = validDraft(input.draft);
  const fields = { key: draft.key, kind: draft.kind, description: draft.description, published: draft.published };
  const locales = draft.variants.map((variant) => variant.locale);

  let existing: { id: string; key: string; updatedAt: Date } | null = null;
  if (input.id) {
    // One edit at a time per template: the row is locked until this transaction ends.
    await db.$executeRaw`SELECT 1 FROM "Template" WHERE "id" = ${input.id}::uuid FOR UPDATE`;
    existing = await db.template.findUnique({ where: { id: input.id }, select: { id: true, key: true, updatedAt: true } });
    if (!existing) throw new AppError("NOT_FOUND", "no such template");
    if (input.expectedUpdatedAt && input.expectedUpdatedAt.getTime() !== existing.updatedAt.getTime()) {
      throw new AppError("CONFLICT", "the template was changed by someone else since you opened it; reload it and apply your change again");
    }
    if (existing.key !== draft.key) {
      const users = await autoRepliesUsing(db, { tenantId: input.tenantId, key: existing.key });
      if (users.length > 0) {
        const message = `the ${users.join(" and ")} auto-reply sends this template by its key "${existing.key}"; choose another template for it in the workspace settings before renaming this one`;
        throw new AppError("CONFLICT", message, { fieldErrors: { key: [message] } });
      }
    }
  }
  if (await db.template.findFirst({ where: { key: draft.key, ...(existing ? { id: { not: existing.id } } : {}) }, select: { id: true } })) {
    throw keyTaken(draft.key);
  }

  let id: string;
  try {
    if (existing) {
      id = existing.id;
      await db.template.update({ where: { id }, data: fields });
      await db.templateVariant.deleteMany({ where: { templateId: id, locale: { notIn: locales } } });
      for (const variant of draft.variants) {
        await db.templateVariant.upsert({
          where: { templateId_locale: { templateId: id, locale: variant.locale } },
          create: { tenantId: input.tenantId, templateId: id, locale: variant.locale, body: variant.body },
          update: { body: variant.body },
        });
      }
    } else {
      const created = await db.template.create({
        data: { tenantId: input.tenantId, ...fields, variants: { create: draft.variants.map((variant) => ({ tenantId: input.tenantId, ...variant })) } },
        select: { id: true },
      });
      id = created.id;
    }
  } catch (error) {
    // Two saves of the same new key at once: the unique index decides.
    if (isUniqueViolation(error)) throw keyTaken(draft.key);
    throw error;
  }

  await recordAudit(db, {
    tenantId: input.tenantId,
    action: existing ? "template.updated" : "template.created",
    actor: input.actor,
    targetType: "template",
    targetId: id,
    metadata: { key: draft.key, kind: draft.kind, published: draft.published, locales, ...(existing && existing.key !== draft.key ? { previousKey: existing.key } : {}) },
  });
  return getTemplate(db, { id });
}
