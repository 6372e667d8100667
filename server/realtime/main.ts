import { processPublicUrl } from "@/lib/env";
import { runMain } from "@/server/config/fail";
import { endPools, getAppPool, getSystemPool } from "@/server/db/app-pool";
import { createHealthServer } from "@/server/health/health-server";
import { createProbes } from "@/server/health/probes";
import { registerPoolMetrics } from "@/server/metrics/registry";
import { bootstrap } from "@/server/runtime/bootstrap";
import { listen } from "@/server/runtime/listen";
import { onShutdown } from "@/server/runtime/shutdown";
import { getRateLimiters } from "@/server/security/rate-limit";
import { createRealtimeServer } from "./server";

// The realtime process: Socket.IO on REALTIME_PORT (and GET /health on the same port).
runMain(async () => {
  const { config, log, db, stopTracing } = await bootstrap("realtime");
  const databaseUrl = process.env.DATABASE_URL!;
  const appPool = getAppPool();
  const systemPool = getSystemPool();
  registerPoolMetrics(appPool, "app");
  registerPoolMetrics(systemPool, "system");
  const probes = createProbes({ proc: "realtime", db, connectionString: databaseUrl });
  const server = createHealthServer("realtime", db, probes);
  const limiters = getRateLimiters();
  const realtime = createRealtimeServer({
    httpServer: server,
    databaseUrl,
    appPool,
    systemPool,
    appDb: db,
    typingLimiter: limiters.typing,
    secret: config.APP_SECRET,
    log,
    redisUrl: config.REDIS_URL,
    corsOrigin: new URL(processPublicUrl()).origin,
  });
  await realtime.ready;
  await listen(server, config.REALTIME_PORT, "REALTIME_PORT");
  log.info({ port: config.REALTIME_PORT, node: realtime.nodeId, redis: Boolean(config.REDIS_URL) }, "realtime listening");
  onShutdown(log, async () => {
    probes.drain();
    await realtime.close();
    await new Promise((resolve) => server.close(resolve));
    await limiters.close();
    await db.$disconnect();
    await endPools();
    await stopTracing();
  });
});
