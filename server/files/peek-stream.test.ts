import { describe, expect, it } from "vitest";
import { peekStream } from "./peek-stream";

/** A source that makes 64 KB chunks only when asked, and counts what it was asked for. */
function countingSource(total: number) {
  const counter = { made: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.made >= total) return controller.close();
        const chunk = new Uint8Array(Math.min(64 * 1024, total - counter.made)).fill(counter.made % 251);
        counter.made += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        counter.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

describe("peeking at a stream", () => {
  it("reads only the head to begin with, then passes the whole content through as it is read", async () => {
    const { stream, counter } = countingSource(50 * 1024 * 1024);
    const peeked = await peekStream(stream, 4100);
    expect(peeked.head.byteLength).toBeGreaterThanOrEqual(4100);
    // One chunk of a 50 MB file, not the file.
    expect(counter.made).toBeLessThanOrEqual(64 * 1024);
    let received = 0;
    const reader = peeked.stream.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) received += read.value.byteLength;
    expect(received).toBe(50 * 1024 * 1024);
  });

  it("gives a short file whole as its head, and a stream that ends", async () => {
    const { stream } = countingSource(10);
    const peeked = await peekStream(stream, 4100);
    expect(peeked.head.byteLength).toBe(10);
    expect(Buffer.from(await new Response(peeked.stream).arrayBuffer()).byteLength).toBe(10);
  });

  it("stops the source when the reader goes away", async () => {
    const { stream, counter } = countingSource(50 * 1024 * 1024);
    const peeked = await peekStream(stream, 4100);
    await peeked.stream.cancel();
    expect(counter.cancelled).toBe(true);
    expect(counter.made).toBeLessThanOrEqual(2 * 64 * 1024);
  });
});
