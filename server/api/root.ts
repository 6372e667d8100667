import { createCallerFactory, createTRPCRouter } from "@/server/api/trpc";
import { healthRouter } from "@/server/api/routers/health";

export const appRouter = createTRPCRouter({
  health: healthRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
