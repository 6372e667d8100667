import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export type Db = InstanceType<typeof PrismaClient>;

export function createDb(connectionString: string, options: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString, max: options.max ?? 10 });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { supportChatDb?: Db };

/** The process-wide client for long-running processes (one pool per process). */
export function getDb(): Db {
  if (!globalForDb.supportChatDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set in this process");
    globalForDb.supportChatDb = createDb(url);
  }
  return globalForDb.supportChatDb;
}
