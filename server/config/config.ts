import { parseEnv, type Env, type EnvVars } from "@/lib/env";
import { ensureDataDir } from "./data-dir";
import { StartupError } from "./fail";
import { loadLocalSecrets, type LocalSecrets } from "./secrets";

export type Config = Env & {
  dataDir: string;
  APP_SECRET: string;
  ENCRYPTION_KEY: string;
  /** Present when the embedded default is in use (no DATABASE_URL). */
  local?: LocalSecrets;
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
  };
  source.APP_SECRET = config.APP_SECRET;
  source.ENCRYPTION_KEY = config.ENCRYPTION_KEY;
  source.DATA_DIR = dataDir;
  return config;
}
