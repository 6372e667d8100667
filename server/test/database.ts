import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createAppPool, createSystemPool } from "@/server/db/app-pool";
import { createAppDb, createSystemDb, type AppDb, type SystemDb } from "@/server/db/client";

export type TestDatabase = {
  name: string;
  url: string;
  /** The owner's client (bypasses row-level security): to arrange and inspect data. */
  db: SystemDb;
  /** The application's client, as requests use it (app role, tenant-scoped). */
  appDb: AppDb;
  /** The app role over plain node-postgres (Telegram intake). */
  appPool: pg.Pool;
  /** The owner over plain node-postgres (the webhook's channel lookup). */
  systemPool: pg.Pool;
  drop: () => Promise<void>;
};

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for one test file: a copy of the migrated template, or
 * an empty one (`migrated: false`) for tests of the migration runner itself.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const template = options.migrated === false ? "template0" : inject("pgTemplate");
  // Copies of one template cannot start at the very same moment; retry the rare clash.
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
  const url = withDatabase(inject("pgAdminUrl"), name);
  // One pool per role, the Prisma clients over them, as in the product's processes (server/db/app-pool.ts).
  const appPool = createAppPool(url, 8);
  const systemPool = createSystemPool(url, 5);
  const db = createSystemDb(systemPool);
  const appDb = createAppDb(appPool);
  return {
    name,
    url,
    db,
    appDb,
    appPool,
    systemPool,
    drop: async () => {
      await db.$disconnect();
      await appDb.$disconnect();
      await appPool.end();
      await systemPool.end();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
