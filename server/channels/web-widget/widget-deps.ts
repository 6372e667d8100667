import { getAppPool, getSystemPool } from "@/server/db/app-pool";
import { getDb } from "@/server/db/client";
import { createLogger } from "@/server/logger";
import { getRateLimiters } from "@/server/security/rate-limit";
import type { WidgetDeps } from "./widget-call";

const log = createLogger("web");

/** The web process's connections and limits for the widget's route handlers (app/api/widget/). */
export function widgetDeps(): WidgetDeps {
  return { systemPool: getSystemPool(), appPool: getAppPool(), appDb: getDb(), limiters: getRateLimiters(), secret: process.env.APP_SECRET ?? "", log };
}
