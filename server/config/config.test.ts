import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EnvVars } from "@/lib/env";
import { loadConfig } from "./config";
import { StartupError } from "./fail";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sc-config-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function startupErrorOf(run: () => unknown): StartupError {
  try {
    run();
  } catch (error) {
    if (error instanceof StartupError) return error;
    throw error;
  }
  throw new Error("expected a StartupError");
}

describe("configuration", () => {
  it("generates the local secrets on first start, privately, and reuses them after", () => {
    const dataDir = path.join(tempDir(), "data");
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = path.join(dataDir, "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.APP_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(first.ENCRYPTION_KEY).toMatch(/^[0-9a-f]{64}$/);
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.APP_SECRET).toBe(first.APP_SECRET);
    expect(second.local).toEqual(first.local);
  });

  it("prefers secrets from the environment and writes the resolved ones back for later code", () => {
    const source: EnvVars = {
      DATA_DIR: tempDir(),
      DATABASE_URL: "postgres://app@db/app",
      APP_SECRET: "s".repeat(40),
      ENCRYPTION_KEY: "AB".repeat(32),
    };
    const config = loadConfig(source);
    expect(config.local).toBeUndefined();
    expect(config.ENCRYPTION_KEY).toBe("ab".repeat(32));
    expect(source.ENCRYPTION_KEY).toBe("ab".repeat(32));
  });

  it("fails with one line per bad value", () => {
    const error = startupErrorOf(() => loadConfig({ DATA_DIR: tempDir(), PORT: "x", DATABASE_URL: "nope" }));
    expect(error.lines).toEqual([
      "invalid configuration: DATABASE_URL must be a URL starting with postgres:// or postgresql://, like postgres://user:password@localhost:5432/supportchat",
      'invalid configuration: PORT must be a whole number between 1 and 65535 (got "x")',
    ]);
  });

  it("explains a data directory that cannot be used", () => {
    const file = path.join(tempDir(), "not-a-folder");
    writeFileSync(file, "");
    const error = startupErrorOf(() => loadConfig({ DATA_DIR: file }));
    expect(error.lines).toEqual([
      `cannot use the data directory ${file} (it is a file, not a folder); make it a writable folder or set DATA_DIR to one`,
    ]);
  });

  it("refuses a damaged secrets file instead of silently replacing the keys", () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, "secrets.json"), "{ not json");
    const error = startupErrorOf(() => loadConfig({ DATA_DIR: dataDir }));
    expect(error.message).toMatch(/secrets\.json is damaged/);
    expect(readFileSync(path.join(dataDir, "secrets.json"), "utf8")).toBe("{ not json");
  });
});
