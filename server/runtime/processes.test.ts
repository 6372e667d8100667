import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "@/server/config/data-dir";
import { childEnv } from "@/server/test/child-env";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { freePort } from "@/server/test/free-port";
import { runScript } from "@/server/test/run-script";

/** `npm run start:realtime` / `start:worker` / `start:web`, one process each. */

let database: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), "sc-proc-"));
  chmodSync(dataDir, 0o711);
});
afterAll(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.each([
  ["realtime", "server/realtime/main.ts", "REALTIME_PORT"],
  ["worker", "server/worker/main.ts", "WORKER_PORT"],
])("start:%s", (name, entry, portVariable) => {
  it("connects to the database, answers its health check, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, entry)], {
      cwd: projectRoot,
      env: childEnv({ PATH: process.env.PATH, DATABASE_URL: database.url, DATA_DIR: dataDir, [portVariable]: String(port) }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      let health: Response | undefined;
      for (let attempt = 0; attempt < 100 && !health; attempt++) {
        health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (!health) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(health?.status).toBe(200);
      expect(await health!.json()).toMatchObject({ status: "ok", process: name, database: { ok: true } });
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("explains that it needs a database when none is configured or running", async () => {
    const result = await runScript(entry, [], { env: { DATA_DIR: dataDir, [portVariable]: String(await freePort()) } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "support-chat: DATABASE_URL is not set and the embedded database is not running; run npm start (which starts it) or set DATABASE_URL",
    );
  });
});

describe("start:web", () => {
  it("refuses a bad port with one line before doing anything else", async () => {
    const result = await runScript("server/web/main.ts", [], { env: { DATA_DIR: dataDir, PORT: "web" } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('support-chat: invalid configuration: PORT must be a whole number between 1 and 65535 (got "web")');
  });
});
