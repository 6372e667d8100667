import { parseEnv, type Env, type EnvVars } from "@/lib/env";
import { ensureDataDir } from "./data-dir";
import { StartupError } from "./fail";
import { loadLocalSecrets, type LocalSecrets } from "./secrets";
import { loadVapidKeys, type VapidKeys } from "./vapid";

export type Config = Env & {
  dataDir: string;
  APP_SECRET: string;
  ENCRYPTION_KEY: string;
  /** Present when the embedded default is in use (no DATABASE_URL). */
  local?: LocalSecrets;
  /** Web push's keys; null: push is off (production without VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY). */
  vapid: VapidKeys | null;
};

/**
 * Validates the environment once and fills in the locally generated secrets.
 * The resolved secrets are written back to process.env so code that runs later
 * in the same process (Next.js route handlers) sees the same values.
 */
export function loadConfig(source: EnvVars = process.env): Config {
  const parsed = parseEnv(source);
  if (!parsed.ok) throw new StartupError(parsed.errors.map((line) => `invalid configuration: ${line}`));
  const env = parsed.env;
  const dataDir = ensureDataDir(env.DATA_DIR);
  const needsLocal = !env.DATABASE_URL || !env.APP_SECRET || !env.ENCRYPTION_KEY;
  const local = needsLocal ? loadLocalSecrets(dataDir) : undefined;
  const config: Config = {
    ...env,
    dataDir,
    APP_SECRET: env.APP_SECRET ?? local!.appSecret,
    ENCRYPTION_KEY: (env.ENCRYPTION_KEY ?? local!.encryptionKey).toLowerCase(),
    local,
    vapid: loadVapidKeys(env, dataDir),
  };
  source.APP_SECRET = config.APP_SECRET;
  source.ENCRYPTION_KEY = config.ENCRYPTION_KEY;
  source.DATA_DIR = dataDir;
  if (config.vapid) {
    source.VAPID_PUBLIC_KEY = config.vapid.publicKey;
    source.VAPID_PRIVATE_KEY = config.vapid.privateKey;
    source.VAPID_SUBJECT = config.vapid.subject;
  }
  return config;
}
