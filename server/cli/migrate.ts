import { loadConfig } from "@/server/config/config";
import { runMain } from "@/server/config/fail";
import { openDatabase } from "@/server/db/database";
import { createLogger } from "@/server/logger";

// `npm run db:migrate`: apply pending migrations and exit (a release step in production).
runMain(async () => {
  const config = loadConfig();
  const log = createLogger("admin", config.LOG_LEVEL);
  const database = await openDatabase(config, { log, embedded: "reuse-or-start" });
  await database.close();
  log.info("database is up to date");
});
