import { prettyFactory } from "pino-pretty";

/** `fallbackLevel`: the level given to a line that is not pino JSON (30 info, 50 error for stderr). */
export type LogSink = (line: string, proc: string, fallbackLevel?: number) => void;

/**
 * Where `npm start` writes the lines of all its processes: JSON lines as they
 * are (for log shippers), or prettified and prefixed with the process name on
 * a terminal. Lines a child prints without pino (a crash) are wrapped, not lost.
 */
export function createLogSink(pretty: boolean, out: NodeJS.WritableStream = process.stdout): LogSink {
  const format = pretty
    ? prettyFactory({
        colorize: "isTTY" in out && Boolean(out.isTTY),
        ignore: "pid,hostname,proc",
        translateTime: "HH:MM:ss",
        messageFormat: "[{proc}] {msg}",
        singleLine: true,
      })
    : undefined;
  return (line, proc, fallbackLevel = 30) => {
    if (!line.trim()) return;
    let record: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : { level: fallbackLevel, msg: line };
    } catch {
      record = { level: fallbackLevel, time: new Date().toISOString(), msg: line };
    }
    record.proc ??= proc;
    out.write(format ? format(record) : `${JSON.stringify(record)}\n`);
  };
}
