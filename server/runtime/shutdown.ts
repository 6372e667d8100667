import type { Logger } from "@/server/logger";

/**
 * Runs `stop` once on SIGINT or SIGTERM (or when the parent `npm start` is gone), then exits. A second signal, or a stop
 * that takes longer than `graceMs`, exits at once.
 */
export function onShutdown(log: Logger, stop: () => Promise<void>, graceMs = 10_000): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal, exiting now");
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, "stopping");
    const timer = setTimeout(() => {
      log.error({ graceMs }, "shutdown took too long, exiting");
      process.exit(1);
    }, graceMs);
    timer.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
  // Started by `npm start` with an IPC channel: if that parent dies without
  // stopping us (killed with SIGKILL), stop too rather than linger on its ports.
  if (process.send) process.on("disconnect", () => handle("SIGTERM"));
}
