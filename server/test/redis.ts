import net from "node:net";

/** The machine's Redis (CI starts one), or REDIS_URL. */
export const testRedisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Whether a Redis answers, for suites where Redis is the subject. With
 * REQUIRE_REDIS=1 (as in .ci/run) a missing Redis fails the run instead of
 * skipping those suites.
 */
export async function redisAvailable(): Promise<boolean> {
  const reachable = await new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(testRedisUrl);
    const socket = net.connect(Number(port || 6379), hostname, () => (socket.end(), resolve(true)));
    socket.on("error", () => resolve(false));
  });
  if (!reachable && process.env.REQUIRE_REDIS === "1") throw new Error(`REQUIRE_REDIS=1 but no Redis answers at ${testRedisUrl}`);
  return reachable;
}
