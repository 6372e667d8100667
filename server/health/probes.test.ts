import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createTcpServer, Socket as NetSocket, type Server as TcpServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppDb } from "@/server/db/client";
import { defaultMigrationsDir } from "@/server/db/migrate";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { freePort } from "@/server/test/free-port";
import { createHealthServer } from "./health-server";
import { createProbes } from "./probes";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** A TCP hop in front of the test database that can be cut and restored: the database "goes down" for the process. */
async function databaseLink(url: string) {
  const target = new URL(url);
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: TcpServer | undefined;
  const up = () =>
    new Promise<void>((resolve) => {
      server = createTcpServer((client) => {
        const upstream = new NetSocket();
        upstream.connect(Number(target.port), target.hostname === "localhost" ? "127.0.0.1" : target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", resolve);
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server!.close(() => resolve());
    });
  await up();
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  proxied.searchParams.delete("host");
  return { url: proxied.toString(), up, down };
}

async function get(port: number, path: string) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("liveness and readiness", () => {
  it("readiness flips to 503 while the database is down and back to 200 when it returns; liveness stays 200", async () => {
    const link = await databaseLink(database.url);
    const db = createAppDb(link.url, { max: 2 });
    const probes = createProbes({ proc: "worker", db, connectionString: link.url });
    const server = createHealthServer("worker", db, probes);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await get(port, "/health/ready")).toMatchObject({ status: 200, body: { status: "ready", database: { ok: true }, migrations: { ok: true } } });

      await link.down();
      const down = await get(port, "/health/ready");
      expect(down).toMatchObject({ status: 503, body: { status: "not ready", database: { ok: false } } });
      expect(await get(port, "/health/live")).toMatchObject({ status: 200, body: { status: "ok", process: "worker" } });

      await link.up();
      expect(await get(port, "/health/ready")).toMatchObject({ status: 200, body: { status: "ready" } });
    } finally {
      server.close();
      await link.down().catch(() => undefined);
      await db.$disconnect();
    }
  });

  it("is not ready while a migration this code expects is pending, and names it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sc-migrations-"));
    try {
      cpSync(defaultMigrationsDir, dir, { recursive: true });
      mkdirSync(path.join(dir, "29991231000000_from_the_future"));
      writeFileSync(path.join(dir, "29991231000000_from_the_future", "migration.sql"), "SELECT 1;\n");
      const probes = createProbes({ proc: "web", db: database.appDb, connectionString: database.url, migrationsDir: dir });
      expect(await probes.ready()).toMatchObject({ ready: false, database: { ok: true }, migrations: { ok: false, pending: ["29991231000000_from_the_future"] } });
      // With every migration applied it is ready.
      const current = createProbes({ proc: "web", db: database.appDb, connectionString: database.url });
      expect(await current.ready()).toMatchObject({ ready: true, migrations: { ok: true } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is not ready once it starts shutting down, so it gets no new work", async () => {
    const probes = createProbes({ proc: "realtime", db: database.appDb, connectionString: database.url });
    expect((await probes.ready()).ready).toBe(true);
    probes.drain();
    expect(await probes.ready()).toMatchObject({ ready: false, draining: true, database: { ok: true } });
    expect(probes.live().status).toBe("ok");
  });
});
