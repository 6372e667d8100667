import { z } from "zod";
import { createTRPCRouter, scopedProcedure } from "@/server/api/trpc";

export const templatesRouter = createTRPCRouter({
  /**
   * The workspace's templates with their per-locale variants (ICU MessageFormat),
   * optionally of one kind and matching a search on key, description or text.
   * The inbox's composer lists the canned responses with it.
   */
  list: scopedProcedure("conversations:read")
    .input(z.object({ kind: z.enum(["canned", "auto_reply", "public"]).optional(), search: z.string().trim().max(100).optional() }).default({}))
    .query(({ ctx, input }) =>
      ctx.db.template.findMany({
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
        select: { id: true, key: true, kind: true, description: true, variants: { select: { locale: true, body: true }, orderBy: { locale: "asc" } } },
        orderBy: { key: "asc" },
        take: 200,
      }),
    ),
});
