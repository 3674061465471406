// A response body that ends with its first chunk (a short answer, written at once) is
// better sent whole: node:http writes it with a content-length in one go instead of
// chunked, and a worker thread posts it as bytes instead of transferring a stream (a
// MessagePort pipeline per response). Whether it ends is known only by reading on: the
// second read is given until the I/O of this event-loop turn, so that a body the guest is
// still producing is not held back.

/**
 * Resolves to the body's bytes (a Uint8Array) when `body` (a ReadableStream, or a reader:
 * `{ read(), cancel() }`) ended with its first chunk, or to a ReadableStream of all of it
 * (what was read first, then the rest) when it goes on.
 */
export async function readAhead(body) {
  const reader = body instanceof ReadableStream ? body.getReader() : body;
  const first = await reader.read();
  if (first.done) {
    reader.releaseLock?.();
    return new Uint8Array(0);
  }
  let next = reader.read();
  const second = await Promise.race([next, nextTurn()]);
  if (second?.done) {
    reader.releaseLock?.();
    return first.value;
  }
  let firstChunk = first.value;
  return new ReadableStream({
    async pull(controller) {
      if (firstChunk !== null) {
        controller.enqueue(firstChunk);
        firstChunk = null;
        return;
      }
      const { done, value } = await next;
      if (done) {
        controller.close();
        return;
      }
      controller.enqueue(value);
      next = reader.read();
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/** Resolves (to undefined) after the I/O of this event-loop turn. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
