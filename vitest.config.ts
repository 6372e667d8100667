import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", ".data/**", "e2e/**", "test-results/**"],
    globalSetup: ["./server/test/global-setup.ts"],
    // Each file gets its own database (server/test/database.ts), so files run in parallel.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
