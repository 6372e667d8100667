import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/server/db/embedded";
import { migrate } from "@/server/db/migrate";
import { installJobQueue } from "@/server/jobs/queue";
import { freePort } from "./free-port";

declare module "vitest" {
  export interface ProvidedContext {
    /** A connection to the test server's maintenance database, allowed to create databases. */
    pgAdminUrl: string;
    /** A migrated database that test databases are copied from. */
    pgTemplate: string;
  }
}

/**
 * One PostgreSQL for the whole run: the server at TEST_DATABASE_URL (or
 * DATABASE_URL) when set, otherwise an embedded one in a temporary folder.
 * Test files copy a migrated template database, which takes milliseconds.
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  let cluster: EmbeddedPostgresHandle | undefined;
  let dir: string | undefined;
  if (!adminUrl) {
    dir = mkdtempSync(path.join(tmpdir(), "support-chat-test-"));
    chmodSync(dir, 0o711); // the postgres user must reach its folder when tests run as root
    cluster = await startEmbeddedPostgres({
      dir: path.join(dir, "postgres"),
      port: await freePort(),
      password: "test-password-not-secret",
      ephemeral: true,
    });
    adminUrl = cluster.url("postgres");
  }

  const template = `sc_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${template}"`);
  await admin.query(`CREATE DATABASE "${template}"`);
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${template}`;
  await migrate(templateUrl.toString());
  await installJobQueue(templateUrl.toString());

  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplate", template);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
