import { runMain } from "@/server/config/fail";
import { createHealthServer } from "@/server/health/health-server";
import { createProbes } from "@/server/health/probes";
import { registerPoolMetrics, registerQueueMetrics } from "@/server/metrics/registry";
import { bootstrap } from "@/server/runtime/bootstrap";
import { listen } from "@/server/runtime/listen";
import { onShutdown } from "@/server/runtime/shutdown";
import { createSendLimits } from "@/server/channels/core/send-limits";
import { startPolling } from "@/server/channels/telegram/poller";
import { endPools, getAppPool } from "@/server/db/app-pool";
import { getSystemDb } from "@/server/db/client";
import { startAssignmentRouter } from "./assignment-router";
import { startDeliveryRunner } from "./delivery-runner";
import { logReader, startNotifier } from "./notifier";
import { startReportsFollower } from "./reports-follower";
import { createPoolLiveness } from "./stale-locks";

// The job runner: delivers replies to Telegram, assigns waiting conversations to agents, notifies people (in the app, by push and email), keeps the reports' figures, sends auto-replies, resolves idle conversations,
// purges data past its retention, and polls the channels in polling mode.
// GET /health on WORKER_PORT answers while the database does.
runMain(async () => {
  const { config, log, db, stopTracing } = await bootstrap("worker");
  const databaseUrl = process.env.DATABASE_URL!;
  const limits = createSendLimits({ redisUrl: config.REDIS_URL, databaseUrl });
  const liveness = createPoolLiveness({ connectionString: databaseUrl, log, staleAfterSeconds: config.JOB_STALE_LOCK_SECONDS });
  const mail = { SMTP_URL: config.SMTP_URL, MAIL_FROM: config.MAIL_FROM };
  const runner = await startDeliveryRunner({
    connectionString: databaseUrl,
    appDb: db,
    limits,
    log,
    events: liveness.events,
    scheduled: { systemDb: getSystemDb() },
    notifications: { mail, secret: config.APP_SECRET },
  });
  liveness.start();
  // One LISTEN connection for the followers of the log: the notifier's, which wakes the router and the reports'
  // follower too (on a PostgreSQL of 100 connections, the scale-out run's six processes have none to spare).
  const router = startAssignmentRouter({ connectionString: databaseUrl, appDb: db, systemDb: getSystemDb(), log, listen: false });
  const reports = startReportsFollower({ connectionString: databaseUrl, systemPool: logReader(getSystemDb()), appDb: db, log, listen: false, pollMs: 1000 });
  const notifier = startNotifier({
    connectionString: databaseUrl,
    systemPool: logReader(getSystemDb()),
    appDb: db,
    log,
    mail: Boolean(config.SMTP_URL),
    onNotify: () => {
      router.wake();
      reports.wake();
    },
  });
  const poller = startPolling({ databaseUrl, systemDb: getSystemDb(), pool: getAppPool(), log });
  const probes = createProbes({ proc: "worker", db, connectionString: databaseUrl });
  registerPoolMetrics(getAppPool(), "app");
  registerQueueMetrics(getSystemDb());
  const server = createHealthServer("worker", db, probes);
  await listen(server, config.WORKER_PORT, "WORKER_PORT", config.WORKER_HOST);
  log.info({ port: config.WORKER_PORT, host: config.WORKER_HOST }, "worker listening");
  onShutdown(log, async () => {
    probes.drain();
    // Stop claiming jobs and let running ones finish; unfinished ones are released to another worker.
    await Promise.all([runner.stop(), poller.stop(), router.stop(), notifier.stop(), reports.stop()]);
    await liveness.stop();
    await new Promise((resolve) => server.close(resolve));
    await limits.close();
    await db.$disconnect();
    await getSystemDb().$disconnect();
    await endPools();
    await stopTracing();
  });
});
