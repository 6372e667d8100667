import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/server/test/database";
import { checksumOf, defaultMigrationsDir, migrate, MigrationError, pendingMigrations, readMigrations } from "./migrate";

let database: TestDatabase;
let migrationsDir: string;

beforeEach(async () => {
  database = await createTestDatabase({ migrated: false });
  migrationsDir = mkdtempSync(path.join(tmpdir(), "sc-migrations-"));
  cpSync(defaultMigrationsDir, migrationsDir, { recursive: true });
});

afterEach(async () => {
  await database.drop();
  rmSync(migrationsDir, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function addMigration(name: string, sql: string): void {
  mkdirSync(path.join(migrationsDir, name));
  writeFileSync(path.join(migrationsDir, name, "migration.sql"), sql);
}

type MigrationRow = {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
};

describe("migration runner", () => {
  it("applies every migration to an empty database and records each as prisma migrate deploy does", async () => {
    const files = await readMigrations(migrationsDir);
    const result = await migrate(database.url, { dir: migrationsDir });
    expect(result.applied).toEqual(files.map((file) => file.name));

    const rows = await query<MigrationRow>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at`);
    expect(rows).toHaveLength(files.length);
    for (const [index, row] of rows.entries()) {
      const file = files[index]!;
      expect(row.migration_name).toBe(file.name);
      expect(row.checksum).toBe(checksumOf(readFileSync(path.join(migrationsDir, file.name, "migration.sql"), "utf8")));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    const tables = await query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'Tenant'`,
    );
    expect(tables).toHaveLength(1);
  });

  it("does nothing when run again", async () => {
    await migrate(database.url, { dir: migrationsDir });
    const before = await query<MigrationRow>(`SELECT * FROM "_prisma_migrations"`);
    const again = await migrate(database.url, { dir: migrationsDir });
    expect(again.applied).toEqual([]);
    expect(await query<MigrationRow>(`SELECT * FROM "_prisma_migrations"`)).toEqual(before);
    expect(await pendingMigrations(database.url, migrationsDir)).toEqual([]);
  });

  it("applies only the new migration when one is added", async () => {
    await migrate(database.url, { dir: migrationsDir });
    addMigration("29990101000000_add_note", `ALTER TABLE "Tenant" ADD COLUMN "note" TEXT;`);
    expect(await pendingMigrations(database.url, migrationsDir)).toEqual(["29990101000000_add_note"]);
    expect((await migrate(database.url, { dir: migrationsDir })).applied).toEqual(["29990101000000_add_note"]);
  });

  it("refuses to run when an applied migration's file was edited", async () => {
    await migrate(database.url, { dir: migrationsDir });
    const [first] = await readMigrations(migrationsDir);
    const file = path.join(migrationsDir, first!.name, "migration.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n-- an innocent-looking edit\n`);
    addMigration("29990101000000_add_note", `ALTER TABLE "Tenant" ADD COLUMN "note" TEXT;`);

    const attempt = migrate(database.url, { dir: migrationsDir });
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(`migration ${first!.name} was edited after it was applied`);
    const columns = await query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'Tenant' AND column_name = 'note'`);
    expect(columns).toHaveLength(0);
  });

  it("rolls a failing migration back entirely and records nothing for it", async () => {
    addMigration("29990101000000_broken", `CREATE TABLE "Half" (id int); SELECT * FROM "NoSuchTable";`);
    await expect(migrate(database.url, { dir: migrationsDir })).rejects.toThrow(
      /migration 29990101000000_broken failed and was rolled back: relation "NoSuchTable" does not exist/,
    );
    const names = (await query<MigrationRow>(`SELECT * FROM "_prisma_migrations"`)).map((row) => row.migration_name);
    expect(names).not.toContain("29990101000000_broken");
    expect(await query(`SELECT to_regclass('"Half"') AS t`)).toEqual([{ t: null }]);
  });

  it("refuses to run after a migration that Prisma's CLI left unfinished", async () => {
    await migrate(database.url, { dir: migrationsDir });
    await query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES (gen_random_uuid()::text, $1, '29990101000000_crashed', now(), 0)`,
      ["0".repeat(64)],
    );
    await expect(migrate(database.url, { dir: migrationsDir })).rejects.toThrow(
      /migration 29990101000000_crashed started but never finished/,
    );
  });

  it("lets two processes start at once: one migrates, the other waits and finds nothing to do", async () => {
    const results = await Promise.all([
      migrate(database.url, { dir: migrationsDir }),
      migrate(database.url, { dir: migrationsDir }),
      migrate(database.url, { dir: migrationsDir }),
    ]);
    const files = await readMigrations(migrationsDir);
    expect(results.map((result) => result.applied.length).sort()).toEqual([0, 0, files.length]);
    const rows = await query<MigrationRow>(`SELECT * FROM "_prisma_migrations"`);
    expect(rows).toHaveLength(files.length);
  });
});
