import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/server/test/free-port";
import { runningPostmaster, startEmbeddedPostgres } from "./embedded";

const base = mkdtempSync(path.join(tmpdir(), "sc-embedded-"));
chmodSync(base, 0o711);
afterAll(() => rmSync(base, { recursive: true, force: true }));

const password = "embedded-test-password";

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${pid} still running`);
}

describe("embedded PostgreSQL", () => {
  it("creates the cluster and the application database on first start, and keeps data across restarts", async () => {
    const dir = path.join(base, "persistent");
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dir, port, password });
    const client = new pg.Client({ connectionString: first.url() });
    await client.connect();
    await client.query("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
    await client.end();
    await first.stop();
    expect(runningPostmaster(dir)).toBeUndefined();

    const second = await startEmbeddedPostgres({ dir, port, password });
    const again = new pg.Client({ connectionString: second.url() });
    await again.connect();
    expect((await again.query("SELECT value FROM kept")).rows).toEqual([{ value: "still here" }]);
    await again.end();
    await second.stop();
  });

  it("is reached over a Unix socket in its data folder, over TCP on 127.0.0.1 when that folder's path is too long for a socket", async () => {
    const dir = path.join(base, "socket");
    const port = await freePort();
    const cluster = await startEmbeddedPostgres({ dir, port, password });
    try {
      expect(cluster.url()).toContain(`host=${encodeURIComponent(dir)}`);
      const client = new pg.Client({ connectionString: cluster.url() });
      await client.connect();
      // inet_server_addr() is NULL exactly when the connection is a Unix socket.
      expect((await client.query("SELECT inet_server_addr() AS addr")).rows).toEqual([{ addr: null }]);
      await client.end();
    } finally {
      await cluster.stop();
    }
    const deep = path.join(base, "d".repeat(60), "e".repeat(40));
    const tcp = await startEmbeddedPostgres({ dir: deep, port: await freePort(), password });
    try {
      expect(tcp.url()).not.toContain("host=");
      const client = new pg.Client({ connectionString: tcp.url() });
      await client.connect();
      expect((await client.query("SELECT inet_server_addr()::text AS addr")).rows).toEqual([{ addr: "127.0.0.1/32" }]);
      await client.end();
    } finally {
      await tcp.stop();
    }
  });

  it("stops cleanly even when PostgreSQL already received Ctrl-C and exited", async () => {
    const dir = path.join(base, "interrupted");
    const cluster = await startEmbeddedPostgres({ dir, port: await freePort(), password });
    const { pid } = runningPostmaster(dir)!;
    process.kill(pid, "SIGINT");
    await waitGone(pid);
    await expect(Promise.race([
      cluster.stop().then(() => "stopped"),
      new Promise((resolve) => setTimeout(() => resolve("hung"), 5000)),
    ])).resolves.toBe("stopped");
  });

  it("refuses a cluster another live process is using, naming that process", async () => {
    const dir = path.join(base, "shared");
    const cluster = await startEmbeddedPostgres({ dir, port: await freePort(), password });
    try {
      // The owner file names this test process; pretend another process owns it.
      writeFileSync(`${dir}.owner`, String(process.ppid));
      await expect(startEmbeddedPostgres({ dir, port: await freePort(), password })).rejects.toThrow(
        `the embedded database is in use by process ${process.ppid} (another npm start or npm run admin); stop that first`,
      );
    } finally {
      await cluster.stop();
    }
  });

  it("explains a port that is taken", async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      await expect(startEmbeddedPostgres({ dir: path.join(base, "port"), port, password })).rejects.toThrow(
        `port ${port} for the embedded database is in use; free it or set EMBEDDED_POSTGRES_PORT to a free port`,
      );
    } finally {
      blocker.close();
    }
  });

  it.runIf(userInfo().uid === 0)("as root, explains a parent folder the postgres user cannot enter", async () => {
    const privateDir = path.join(base, "private");
    mkdirSync(privateDir, { mode: 0o700 });
    chmodSync(privateDir, 0o700);
    await expect(startEmbeddedPostgres({ dir: path.join(privateDir, "postgres"), port: await freePort(), password })).rejects.toThrow(
      `the embedded database runs as the "postgres" user (PostgreSQL refuses to run as root), which cannot enter ${privateDir}; run chmod o+x ${privateDir}, set DATA_DIR to a folder outside it, or set DATABASE_URL`,
    );
  });
});
