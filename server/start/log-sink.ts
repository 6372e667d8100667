import { prettyFactory } from "pino-pretty";

export type LogSink = (line: string, proc: string) => void;

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
  return (line, proc) => {
    if (!line.trim()) return;
    let record: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : { msg: line };
    } catch {
      record = { level: 30, time: new Date().toISOString(), msg: line };
    }
    record.proc ??= proc;
    out.write(format ? format(record) : `${JSON.stringify(record)}\n`);
  };
}
