import { runMain } from "@/server/config/fail";
import { createHealthServer } from "@/server/health/health-server";
import { bootstrap } from "@/server/runtime/bootstrap";
import { listen } from "@/server/runtime/listen";
import { onShutdown } from "@/server/runtime/shutdown";

// The realtime process. Until Socket.IO arrives (realtime issue) it proves it can
// reach the database and answers GET /health on REALTIME_PORT.
runMain(async () => {
  const { config, log, db } = await bootstrap("realtime");
  const server = createHealthServer("realtime", db);
  await listen(server, config.REALTIME_PORT, "REALTIME_PORT");
  log.info({ port: config.REALTIME_PORT }, "realtime listening");
  onShutdown(log, async () => {
    await new Promise((resolve) => server.close(resolve));
    await db.$disconnect();
  });
});
