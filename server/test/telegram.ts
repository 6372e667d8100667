import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TelegramEmulator } from "@/e2e/telegram-emulator/emulator";
import { serveTelegramWebhook } from "@/server/channels/telegram/handle-webhook";
import { createLogger, type Logger } from "@/server/logger";
import { inRequestSpan } from "@/server/telemetry/tracing";
import type { TestDatabase } from "./database";

/**
 * The Telegram side of a test: the Bot API emulator, and our webhook handler
 * served over real HTTP so the emulator delivers to it as Telegram would.
 */
export async function startTelegram(database: TestDatabase, options: ConstructorParameters<typeof TelegramEmulator>[0] = {}, harness: { log?: Logger } = {}) {
  const emulator = new TelegramEmulator({ retryBaseMs: 50, retryMaxMs: 500, ...options });
  const apiRoot = await emulator.start();
  const log = harness.log ?? createLogger("test", "silent");
  const deps = { pool: database.appPool, systemPool: database.systemPool, log };
  // The web process's own webhook path (it serves webhooks ahead of Next.js, in a request span when tracing).
  const server: Server = createServer((req, res) => {
    inRequestSpan(req, res, "telegram_webhook", () => {
      if (!serveTelegramWebhook(req, res, deps)) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.TELEGRAM_API_ROOT = apiRoot;
  process.env.PUBLIC_URL = publicUrl;
  return {
    emulator,
    apiRoot,
    publicUrl,
    /** Until every queued update of the bot was delivered (or `timeoutMs` passed). */
    async drained(token: string, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (emulator.bot(token).pending.length > 0) {
        if (Date.now() > deadline) throw new Error(`updates still pending: ${JSON.stringify(emulator.bot(token).pending)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      await emulator.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
