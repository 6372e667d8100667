import { createServer, type Server } from "node:http";
import type { DbClient } from "@/server/db/client";
import type { ProcessName } from "@/server/logger";
import { checkDatabase } from "./check-database";
import { serveProbes, type Probes } from "./probes";

/**
 * The health endpoints of the processes that are not Next.js (realtime, worker):
 * `GET /health` answers 200 while the database answers, 503 otherwise;
 * `GET /health/live` and `GET /health/ready` are the probes (see probes.ts).
 */
export function createHealthServer(proc: ProcessName, db: DbClient, probes: Probes): Server {
  return createServer(async (req, res) => {
    if (serveProbes(req, res, probes, "/health")) return;
    const url = new URL(req.url ?? "/", "http://localhost");
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
