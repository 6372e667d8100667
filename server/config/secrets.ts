import { randomBytes } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { loadSecretFile } from "./secret-file";

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
  return loadSecretFile(path.join(dataDir, "secrets.json"), localSecretsSchema, () => ({
    appSecret: randomBytes(48).toString("base64url"),
    encryptionKey: randomBytes(32).toString("hex"),
    postgresPassword: randomBytes(24).toString("base64url"),
    // A recognisable shape, so scripts/check-log-secrets.ts finds it in any log that should not hold it.
    demoOwnerPassword: `scdemo_${randomBytes(12).toString("base64url")}`,
  }));
}
