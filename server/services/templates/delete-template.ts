import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { recordAudit, type Actor } from "@/server/services/audit/record-audit";
import { autoRepliesUsing } from "./auto-replies-using";

/** Deletes a template and its variants, unless an auto-reply sends it (it would then send nothing). */
export async function deleteTemplate(db: DbClient, input: { tenantId: string; id: string; actor: Actor }) {
  const template = await db.template.findUnique({ where: { id: input.id }, select: { id: true, key: true, kind: true } });
  if (!template) throw new AppError("NOT_FOUND", "no such template");
  const users = await autoRepliesUsing(db, { tenantId: input.tenantId, key: template.key });
  if (users.length > 0) {
    throw new AppError(
      "CONFLICT",
      `the ${users.join(" and ")} auto-reply sends "${template.key}"; choose another template for it in the workspace settings before deleting this one`,
    );
  }
  await db.template.delete({ where: { id: template.id } });
  await recordAudit(db, {
    tenantId: input.tenantId,
    action: "template.deleted",
    actor: input.actor,
    targetType: "template",
    targetId: template.id,
    metadata: { key: template.key, kind: template.kind },
  });
  return { id: template.id, key: template.key };
}
