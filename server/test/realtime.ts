import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger, type Logger } from "@/server/logger";
import { createRealtimeServer, type RealtimeServer } from "@/server/realtime/server";
import type { RateLimiters } from "@/server/security/rate-limit";
import type { TestDatabase } from "./database";
import { testRedisUrl } from "./redis";

export type TestRealtimeNode = { url: string; port: number; realtime: RealtimeServer; http: HttpServer; close: () => Promise<void> };

/** A realtime node on its own port, as the realtime process runs it, against a test database. */
export async function startRealtimeNode(
  database: TestDatabase,
  options: { secret: string; limiters: Pick<RateLimiters, "typing">; redis?: boolean; catchUpLimit?: number; revalidateMs?: number; heartbeatMs?: number; port?: number; log?: Logger },
): Promise<TestRealtimeNode> {
  const http = createServer();
  const realtime = createRealtimeServer({
    httpServer: http,
    databaseUrl: database.url,
    appPool: database.appPool,
    systemPool: database.systemPool,
    appDb: database.appDb,
    typingLimiter: options.limiters.typing,
    secret: options.secret,
    log: options.log ?? createLogger("test", "silent"),
    redisUrl: options.redis ? testRedisUrl : undefined,
    corsOrigin: "http://localhost:3000",
    catchUpLimit: options.catchUpLimit,
    revalidateMs: options.revalidateMs ?? 200,
    heartbeatMs: options.heartbeatMs ?? 300,
  });
  await realtime.ready;
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (http.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    realtime,
    http,
    close: async () => {
      if (closed) return;
      closed = true;
      await realtime.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
