import { defineConfig } from "@playwright/test";

/**
 * Browser tests in Debian's Chromium (Playwright cannot download its own here):
 * `apt-get install chromium`, which .ci/run does on a fresh machine.
 */
export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results/e2e",
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu"],
    },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
});
