import { loadConfig, type Config } from "@/server/config/config";
import { getDb, type AppDb } from "@/server/db/client";
import { openDatabase } from "@/server/db/database";
import { createLogger, type Logger, type ProcessName } from "@/server/logger";

export type ProcessContext = { config: Config; log: Logger; db: AppDb };

/** What every long-running process does first: validate config, reach a migrated database. */
export async function bootstrap(proc: ProcessName): Promise<ProcessContext> {
  const config = loadConfig();
  const log = createLogger(proc, config.LOG_LEVEL);
  const database = await openDatabase(config, { log, embedded: "reuse" });
  process.env.DATABASE_URL = database.url;
  return { config, log, db: getDb() };
}
