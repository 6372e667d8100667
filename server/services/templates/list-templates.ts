import type { DbClient } from "@/server/db/client";
import type { TemplateKind } from "@/server/db/generated/enums";

/** What the API shows of a template (with its variants, chosen by each reader). */
export const templateFields = { id: true, key: true, kind: true, description: true, published: true, updatedAt: true } as const;

/** The workspace's templates with their variants, optionally of one kind and matching a search on key, description or text. */
export function listTemplates(db: DbClient, input: { kind?: TemplateKind; search?: string }) {
  return db.template.findMany({
    where: {
      ...(input.kind ? { kind: input.kind } : {}),
      ...(input.search
        ? {
            OR: [
              { key: { contains: input.search, mode: "insensitive" } },
              { description: { contains: input.search, mode: "insensitive" } },
              { variants: { some: { body: { contains: input.search, mode: "insensitive" } } } },
            ],
          }
        : {}),
    },
    select: { ...templateFields, variants: { select: { locale: true, body: true }, orderBy: { locale: "asc" } } },
    orderBy: { key: "asc" },
    take: 200,
  });
}
