import { z } from "zod";
import { saneDateSchema } from "@/lib/validation";
import { adminProcedure, createTRPCRouter } from "@/server/api/trpc";
import { listAuditLog } from "@/server/services/audit/list-audit-log";
import { auditActions } from "@/lib/audit/actions";

export const auditLogRouter = createTRPCRouter({
  list: adminProcedure
    .input(
      z.object({
        action: z.enum(auditActions).optional(),
        actorUserId: z.uuid().optional(),
        from: saneDateSchema.optional(),
        to: saneDateSchema.optional(),
        cursor: z.uuid().optional(),
        limit: z.number().int().min(1).max(100).default(50),
      }),
    )
    .query(({ ctx, input }) => listAuditLog(ctx.db, input)),
});
