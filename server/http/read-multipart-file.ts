import { once } from "node:events";
import busboy from "busboy";

type MultipartFile = { name: string; bytes: Buffer };

type MultipartResult =
  | { kind: "file"; file: MultipartFile }
  /** The file passed `maxBytes`: reading stopped there, and the rest of the body was never read. */
  | { kind: "too-large" }
  | { kind: "invalid"; reason: string };

/**
 * The one file of a multipart/form-data body, in the field named `field`,
 * parsed as it streams in (busboy): at most `maxBytes` of it are ever held, so
 * a larger file, declared or chunked, is refused as soon as it passes the limit,
 * without reading on. Any other part (a second file, a text field) makes the
 * body invalid. The sender's Content-Type for the part is not kept: nothing
 * may trust it.
 */
export async function readMultipartFile(request: Request, options: { field: string; maxBytes: number }): Promise<MultipartResult> {
  const contentType = request.headers.get("content-type") ?? "";
  const expected = `send the file as multipart/form-data in one field named "${options.field}"`;
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !request.body) return { kind: "invalid", reason: expected };
  let parser: busboy.Busboy;
  try {
    // One byte over the limit is how busboy says "larger than the limit" (it signals at the limit itself).
    parser = busboy({ headers: { "content-type": contentType }, defParamCharset: "utf8", limits: { files: 1, fields: 0, fileSize: options.maxBytes + 1 } });
  } catch {
    return { kind: "invalid", reason: expected };
  }

  let outcome: MultipartResult | undefined;
  let decided!: () => void;
  const decision = new Promise<void>((resolve) => (decided = resolve));
  const settle = (result: MultipartResult) => {
    outcome ??= result;
    decided();
  };
  type Received = { name: string; chunks: Buffer[]; complete: Promise<boolean> };
  let file: Received | undefined;
  const done = new Promise<void>((resolve) => {
    parser.on("file", (name, stream, info) => {
      // A part cut short (the body ended, or reading was stopped) errors; that is an outcome, not a crash.
      stream.on("error", () => undefined);
      if (name !== options.field) {
        settle({ kind: "invalid", reason: expected });
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("limit", () => settle({ kind: "too-large" }));
      const complete = new Promise<boolean>((resolve) => {
        stream.once("end", () => resolve(true));
        stream.once("error", () => resolve(false));
      });
      file = { name: info.filename ?? "", chunks, complete };
    });
    for (const event of ["field", "filesLimit", "fieldsLimit"] as const) parser.on(event, () => settle({ kind: "invalid", reason: expected }));
    parser.on("error", () => settle({ kind: "invalid", reason: expected }));
    parser.on("close", () => resolve());
  });

  const reader = request.body.getReader();
  try {
    for (;;) {
      if (outcome) break;
      const { value, done: ended } = await reader.read();
      if (ended) break;
      // Waits when busboy's buffer is full, so a fast sender cannot make it queue more than a chunk or two.
      if (!parser.write(value)) await Promise.race([once(parser, "drain"), done, decision]);
    }
  } catch {
    settle({ kind: "invalid", reason: "the upload was interrupted" });
  }
  if (outcome) {
    // Stop reading: the rest of a refused body is never asked for, so the socket stops taking it
    // (TCP backpressure). Not cancelled: that would destroy the request, and with it the
    // connection the refusal has to go back on.
    reader.releaseLock();
    parser.destroy();
    return outcome;
  }
  parser.end();
  await done;
  const received = file as Received | undefined;
  const complete = received ? await received.complete : false;
  if (outcome) return outcome;
  if (!received || !complete) return { kind: "invalid", reason: expected };
  return { kind: "file", file: { name: received.name, bytes: Buffer.concat(received.chunks) } };
}
