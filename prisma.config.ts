import { defineConfig } from "prisma/config";

// The CLI is used here for `prisma generate` only; migrations are applied by
// server/db/migrate.ts (see README, "Migrations").
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
