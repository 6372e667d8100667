import { runMain } from "@/server/config/fail";
import { createHealthServer } from "@/server/health/health-server";
import { bootstrap } from "@/server/runtime/bootstrap";
import { listen } from "@/server/runtime/listen";
import { onShutdown } from "@/server/runtime/shutdown";

// The job runner. Until delivery jobs arrive (Telegram issue) it proves it can
// reach the database and answers GET /health on WORKER_PORT.
runMain(async () => {
  const { config, log, db } = await bootstrap("worker");
  const server = createHealthServer("worker", db);
  await listen(server, config.WORKER_PORT, "WORKER_PORT", "127.0.0.1");
  log.info({ port: config.WORKER_PORT }, "worker listening");
  onShutdown(log, async () => {
    await new Promise((resolve) => server.close(resolve));
    await db.$disconnect();
  });
});
