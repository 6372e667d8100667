import pino, { type DestinationStream, type Logger } from "pino";

export type ProcessName = "start" | "web" | "realtime" | "worker" | "telegram" | "admin" | "test";

/**
 * Paths that may hold a secret, in any log object: they are replaced before the
 * line is written. Bot tokens also never reach a log object in the first place.
 */
export const redactPaths = [
  "password",
  "*.password",
  "currentPassword",
  "*.currentPassword",
  "newPassword",
  "*.newPassword",
  "credentials",
  "*.credentials",
  "token",
  "*.token",
  "*.botToken",
  "apiKey",
  "*.apiKey",
  "key",
  "*.key",
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "*.headers.cookie",
  "cookie",
  "*.cookie",
  "connectionString",
  "*.connectionString",
];

/**
 * One JSON line per event on stdout; `npm start` prettifies and prefixes them
 * (server/start/log-sink.ts), so every process logs the same way.
 */
export function createLogger(proc: ProcessName, level = process.env.LOG_LEVEL ?? "info", destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { proc, pid: process.pid },
    redact: { paths: redactPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
