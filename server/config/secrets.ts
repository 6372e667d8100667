import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { StartupError } from "./fail";

/**
 * Secrets the single-machine default needs, generated on first start and kept in
 * `<data dir>/secrets.json` (mode 0600) so restarts keep sessions, encrypted
 * tokens and the embedded database usable. Production sets them in the environment.
 */
const localSecretsSchema = z.object({
  appSecret: z.string().min(32),
  encryptionKey: z.string().regex(/^[0-9a-f]{64}$/),
  postgresPassword: z.string().min(16),
  demoOwnerPassword: z.string().min(12),
});

export type LocalSecrets = z.infer<typeof localSecretsSchema>;

export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
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
    const result = localSecretsSchema.safeParse(parsed);
    if (!result.success) {
      throw new StartupError(`${file} is damaged; restore it from a backup or delete it together with the data directory`);
    }
    return result.data;
  }
  const secrets: LocalSecrets = {
    appSecret: randomBytes(48).toString("base64url"),
    encryptionKey: randomBytes(32).toString("hex"),
    postgresPassword: randomBytes(24).toString("base64url"),
    // A recognisable shape, so scripts/check-log-secrets.ts finds it in any log that should not hold it.
    demoOwnerPassword: `scdemo_${randomBytes(12).toString("base64url")}`,
  };
  try {
    // "wx": two processes starting at once must not overwrite each other's secrets.
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadLocalSecrets(dataDir);
    throw new StartupError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  return secrets;
}
