import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { StartupError } from "./fail";

export const projectRoot = path.resolve(import.meta.dirname, "../..");

const reasons: Record<string, string> = {
  EEXIST: "it is a file, not a folder",
  ENOTDIR: "it is a file, not a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the disk",
};

/**
 * The folder that holds local state: the embedded database and generated secrets.
 * It must be usable by the postgres user too when we run as root, so it is
 * traversable (0711) while the files in it stay private.
 */
export function ensureDataDir(configured: string | undefined): string {
  const dir = path.resolve(projectRoot, configured ?? ".data");
  try {
    mkdirSync(dir, { recursive: true, mode: 0o711 });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const reason = reasons[code] ?? code ?? "unknown error";
    throw new StartupError(`cannot use the data directory ${dir} (${reason}); make it a writable folder or set DATA_DIR to one`);
  }
  return dir;
}
