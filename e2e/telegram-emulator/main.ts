import { DEMO_BOT_TOKEN, DEMO_BOT_USERNAME } from "@/server/db/seed";
import { createLogger } from "@/server/logger";
import { TelegramEmulator } from "./emulator";

/**
 * `npm run dev:telegram` (and `npm start` in development): the Bot API emulator
 * with the demo workspace's bot, and a customer chat page on TELEGRAM_EMULATOR_PORT.
 */
const log = createLogger("telegram");
const port = Number(process.env.TELEGRAM_EMULATOR_PORT || 3003);
const emulator = new TelegramEmulator();
emulator.addBot(DEMO_BOT_TOKEN, DEMO_BOT_USERNAME);
emulator.start(port, "127.0.0.1").then(
  (url) => log.info({ url }, `Telegram emulator: chat with @${DEMO_BOT_USERNAME} at ${url}`),
  (error: NodeJS.ErrnoException) => {
    log.error(error.code === "EADDRINUSE" ? `port ${port} is in use; set TELEGRAM_EMULATOR_PORT to a free port` : error.message);
    process.exit(1);
  },
);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
if (process.send) process.on("disconnect", stop);
