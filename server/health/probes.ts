import type { IncomingMessage, ServerResponse } from "node:http";
import type { DbClient } from "@/server/db/client";
import { pendingMigrations } from "@/server/db/migrate";
import type { ProcessName } from "@/server/logger";
import { checkDatabase, type DatabaseHealth } from "./check-database";

type MigrationsHealth = { ok: true } | { ok: false; pending: string[] } | { ok: false; error: string };

export type Readiness = { ready: boolean; process: ProcessName; draining: boolean; database: DatabaseHealth; migrations: MigrationsHealth | null };

/** How long a "no migration pending" answer is trusted: a release applies them before new code starts. */
const MIGRATIONS_OK_MS = 30_000;

/**
 * Liveness and readiness of one process, for orchestrators and load balancers.
 * Live: the process answers (restart it when it does not). Ready: it should get
 * work — the database answers, no migration is pending (this code expects the
 * schema they make), and it is not shutting down.
 */
export function createProbes(deps: { proc: ProcessName; db: DbClient; connectionString: string; migrationsDir?: string }) {
  let draining = false;
  let migrationsOkAt = 0;
  const started = Date.now();

  async function migrations(): Promise<MigrationsHealth> {
    if (Date.now() - migrationsOkAt < MIGRATIONS_OK_MS) return { ok: true };
    try {
      const pending = await pendingMigrations(deps.connectionString, deps.migrationsDir);
      if (pending.length > 0) return { ok: false, pending };
      migrationsOkAt = Date.now();
      return { ok: true };
    } catch (error) {
      return { ok: false, error: (error as Error).message.split("\n")[0] ?? "unknown error" };
    }
  }

  return {
    live: () => ({ status: "ok" as const, process: deps.proc, uptimeSeconds: Math.round((Date.now() - started) / 1000) }),
    async ready(): Promise<Readiness> {
      const database = await checkDatabase(deps.db);
      const migrationState = database.ok ? await migrations() : null;
      return { ready: !draining && database.ok && Boolean(migrationState?.ok), process: deps.proc, draining, database, migrations: migrationState };
    },
    /** From now on the process is not ready: it is stopping and must get no new work. */
    drain() {
      draining = true;
    },
  };
}

export type Probes = ReturnType<typeof createProbes>;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
}

/** Answers `GET <prefix>/live` and `GET <prefix>/ready`; false for any other request, to pass it on. */
export function serveProbes(req: IncomingMessage, res: ServerResponse, probes: Probes, prefix: string): boolean {
  const path = (req.url ?? "/").split("?")[0];
  if (path !== `${prefix}/live` && path !== `${prefix}/ready`) return false;
  if (req.method !== "GET" && req.method !== "HEAD") {
    json(res, 405, { error: "use GET" });
    return true;
  }
  if (path === `${prefix}/live`) {
    json(res, 200, probes.live());
    return true;
  }
  probes.ready().then(
    (readiness) => json(res, readiness.ready ? 200 : 503, { status: readiness.ready ? "ready" : "not ready", ...readiness }),
    (error: unknown) => json(res, 503, { status: "not ready", error: (error as Error).message }),
  );
  return true;
}
