import type { Server } from "node:http";
import { StartupError } from "@/server/config/fail";

/** Listens, turning "port in use" into one line that says which variable to change. */
export function listen(server: Server, port: number, variable: string, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new StartupError(`port ${port} is in use; free it or set ${variable} to a free port`));
      else if (error.code === "EACCES") reject(new StartupError(`not allowed to listen on port ${port}; set ${variable} to a port above 1024`));
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}
