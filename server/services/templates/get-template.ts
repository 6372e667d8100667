import type { DbClient } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { templateFields } from "./list-templates";

/** One template with its variants (by locale); another workspace's is NOT_FOUND like one that does not exist. */
export async function getTemplate(db: DbClient, input: { id: string }) {
  const template = await db.template.findUnique({
    where: { id: input.id },
    select: { ...templateFields, createdAt: true, variants: { select: { locale: true, body: true, updatedAt: true }, orderBy: { locale: "asc" } } },
  });
  if (!template) throw new AppError("NOT_FOUND", "no such template");
  return template;
}
