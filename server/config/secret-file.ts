import { readFileSync, writeFileSync } from "node:fs";
import type { z } from "zod";
import { StartupError } from "./fail";

/**
 * A JSON file of secrets in the data folder: read when it exists, made by `create` on first
 * start otherwise (mode 0600). "wx": two processes starting at once must not overwrite each
 * other's file; the one that loses reads the winner's.
 */
export function loadSecretFile<T>(file: string, schema: z.ZodType<T>, create: () => T): T {
  let raw: string | undefined;
  try {
    raw = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new StartupError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      throw new StartupError(`${file} is damaged; restore it from a backup or delete it together with the data directory`);
    }
    return result.data;
  }
  const secrets = create();
  try {
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadSecretFile(file, schema, create);
    throw new StartupError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  return secrets;
}
