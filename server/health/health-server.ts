import { createServer, type Server } from "node:http";
import type { DbClient } from "@/server/db/client";
import type { ProcessName } from "@/server/logger";
import { metrics, metricsAllowed } from "@/server/metrics/registry";
import { checkDatabase } from "./check-database";
import { serveProbes, type Probes } from "./probes";

/**
 * The health endpoints of the processes that are not Next.js (realtime, worker):
 * `GET /health` answers 200 while the database answers, 503 otherwise;
 * `GET /health/live` and `GET /health/ready` are the probes (see probes.ts);
 * `GET /metrics` is the process's Prometheus metrics (behind METRICS_TOKEN when set).
 */
export function createHealthServer(proc: ProcessName, db: DbClient, probes: Probes): Server {
  return createServer(async (req, res) => {
    if (serveProbes(req, res, probes, "/health")) return;
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "GET" && url.pathname === "/metrics") {
      if (!metricsAllowed(req.headers.authorization)) {
        res.writeHead(401, { "content-type": "application/json", "www-authenticate": "Bearer" }).end(JSON.stringify({ error: { code: "UNAUTHORIZED", message: "send the metrics token as Authorization: Bearer <token>" } }));
        return;
      }
      const { registry } = metrics();
      res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" }).end(await registry.metrics());
      return;
    }
    if (req.method !== "GET" || url.pathname !== "/health") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
      return;
    }
    const database = await checkDatabase(db);
    res
      .writeHead(database.ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" })
      .end(JSON.stringify({ status: database.ok ? "ok" : "unavailable", process: proc, database }));
  });
}
