/**
 * Reads the first `bytes` of a stream (fewer when it is shorter) and gives back
 * a stream of the whole content: those bytes, then the rest as it arrives. Only
 * the head is ever held; the rest is pulled when the reader asks for it, and
 * cancelling the new stream cancels the source (a browser that goes away stops
 * the download).
 */
export async function peekStream(source: ReadableStream<Uint8Array>, bytes: number): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const { value, done } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    chunks.push(value);
    length += value.byteLength;
  }
  const head = Buffer.concat(chunks);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (head.byteLength > 0) controller.enqueue(head);
      if (ended) controller.close();
    },
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { head, stream };
}
