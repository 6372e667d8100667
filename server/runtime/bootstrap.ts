import { loadConfig, type Config } from "@/server/config/config";
import { getDb, type AppDb } from "@/server/db/client";
import { openDatabase } from "@/server/db/database";
import { createLogger, type Logger } from "@/server/logger";
import { startTracing } from "@/server/telemetry/tracing";

export type ProcessContext = {
  config: Config;
  log: Logger;
  db: AppDb;
  /** Flushes the spans not yet exported (nothing to do when tracing is off); the last step of a shutdown. */
  stopTracing: () => Promise<void>;
};

/** What every long-running process does first: validate config, start tracing if configured, reach a migrated database. */
export async function bootstrap(proc: "web" | "realtime" | "worker"): Promise<ProcessContext> {
  const config = loadConfig();
  // node-postgres names every connection after PGAPPNAME, so pg_stat_activity says which process holds it.
  process.env.PGAPPNAME ??= `support-chat-${proc}`;
  const log = createLogger(proc, config.LOG_LEVEL);
  // Before the database client exists, so Prisma's instrumentation sees every query.
  const stopTracing = await startTracing(proc);
  if (config.OTEL_EXPORTER_OTLP_ENDPOINT) log.info({ endpoint: new URL(config.OTEL_EXPORTER_OTLP_ENDPOINT).origin }, "tracing to OTLP");
  const database = await openDatabase(config, { log, embedded: "reuse" });
  process.env.DATABASE_URL = database.url;
  return { config, log, db: getDb(), stopTracing };
}
