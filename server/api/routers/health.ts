import { createTRPCRouter, publicProcedure } from "@/server/api/trpc";
import { checkDatabase } from "@/server/health/check-database";

export const healthRouter = createTRPCRouter({
  check: publicProcedure.meta({ access: "public" }).query(async ({ ctx }) => {
    const database = await checkDatabase(ctx.db);
    return { status: database.ok ? ("ok" as const) : ("unavailable" as const), database, time: new Date() };
  }),
});
