import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { projectRoot } from "@/server/config/data-dir";
import type { Logger } from "@/server/logger";

/**
 * Applies prisma/migrations/<name>/migration.sql files and records them in
 * `_prisma_migrations` the way `prisma migrate deploy` does, so either tool can
 * be used on the same database. Unlike Prisma, each migration runs in one
 * transaction together with its bookkeeping row, so a failure leaves nothing half-applied.
 */

export const defaultMigrationsDir = path.join(projectRoot, "prisma", "migrations");

/** The advisory lock key Prisma's migrate commands take, so our runner and Prisma's exclude each other. */
const MIGRATION_LOCK_KEY = 72707369;

// Same definition Prisma's schema engine creates.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export type MigrationFile = { name: string; sql: string; checksum: string };

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export async function readMigrations(dir = defaultMigrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

async function appliedRows(client: pg.ClientBase): Promise<AppliedRow[]> {
  const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`);
  if (!exists.rows[0].exists) return [];
  const result = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );
  return result.rows;
}

/** What would `migrate` do: the names of migrations not applied yet, after the same safety checks. */
function plan(files: MigrationFile[], applied: AppliedRow[]): MigrationFile[] {
  const live = applied.filter((row) => row.rolled_back_at === null);
  const failed = live.find((row) => row.finished_at === null);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} started but never finished; repair the database, then mark it rolled back (prisma migrate resolve --rolled-back ${failed.migration_name})`,
    );
  }
  const byName = new Map(live.map((row) => [row.migration_name, row]));
  for (const file of files) {
    const row = byName.get(file.name);
    if (row && row.checksum !== file.checksum) {
      throw new MigrationError(
        `migration ${file.name} was edited after it was applied; restore the original file and put the change in a new migration`,
      );
    }
  }
  return files.filter((file) => !byName.has(file.name));
}

export async function pendingMigrations(connectionString: string, dir = defaultMigrationsDir): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return plan(await readMigrations(dir), await appliedRows(client)).map((file) => file.name);
  } finally {
    await client.end();
  }
}

export async function migrate(
  connectionString: string,
  options: { dir?: string; log?: Logger } = {},
): Promise<{ applied: string[] }> {
  const files = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // Session-level lock: a second process starting at the same time waits here,
    // then finds everything applied.
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const pending = plan(files, await appliedRows(client));
    const applied: string[] = [];
    for (const file of pending) {
      options.log?.info({ migration: file.name }, "applying migration");
      await client.query("BEGIN");
      try {
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, file.checksum, file.name],
        );
        await client.query(file.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`migration ${file.name} failed and was rolled back: ${(error as Error).message}`);
      }
      applied.push(file.name);
    }
    return { applied };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
