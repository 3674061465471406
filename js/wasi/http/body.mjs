// The body of a wasi:http request or response: its contents (a byte stream), its trailers
// (a future) and, for a message the guest built, the "transmitted" future that `new`
// returned to it.
//
// Values are the runtime's JS forms (README "Values"): a guest's `stream<u8>` arrives as a
// ReadableStream, its `future<result<option<trailers>, error-code>>` as a Promise of
// `{ tag: 'ok', val: fields | undefined } | { tag: 'err', val: error-code }`; to the guest,
// a ReadableStream is a stream and a Promise of such a `{ tag, val }` a future.
//
// A body is consumed once: by the guest (`consume-body`), or by the host sending the
// message (client.send, serve). A message dropped before either cancels its contents, so
// that a guest still writing them sees its reader gone.
import { errorCodeOf } from './error-code.mjs';
import { internalError } from './http-error.mjs';
import { byteStream } from '../../platform.mjs';

const ok = (val = undefined) => ({ tag: 'ok', val });
const err = (val) => ({ tag: 'err', val });

/** A byte stream with nothing in it: the contents of a message whose contents are `none`. */
export const emptyStream = () => byteStream({ start: (c) => c.close() });

/** Thrown (and given to onEnd as its code) when a body breaks its content-length. */
class BodySizeError extends Error {
  constructor(tag, size) {
    super(`${tag}: the body does not have the length its content-length says`);
    this.payload = { tag, val: BigInt(size) };
  }
}

/** The content-length a `fields` declares, as a number, or undefined. */
export function declaredLength(fields) {
  const values = fields.get('content-length');
  if (values.length !== 1) return undefined;
  const n = Number(new TextDecoder().decode(values[0]));
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * `stream` read through a reader (`{ read(), cancel(reason) }`, as a ReadableStream's
 * default reader) that calls `onEnd(result)` once: `ok()` when it ends, `err(code)` when it
 * fails or is cancelled (`code` from `errorCodeOf`). `betweenBytesMs`: fail a read that
 * waits longer than that (error-code `connection-read-timeout`). `length`: the
 * content-length the body must have; more, or fewer at the end, fails it with `sizeTag`
 * (HTTP-request-body-size or HTTP-response-body-size) and the bytes seen, as Wasmtime does.
 * Reads give only chunks with bytes in them. A reader rather than another stream: the
 * node:http path reads it directly (a ReadableStream costs Node 20 a makeTransferable);
 * watchEnd is the same as a stream.
 */
export function watchedReader(stream, onEnd, { errorCodeOf, betweenBytesMs, length, sizeTag } = {}) {
  let seen = 0;
  let ended = false;
  const end = (result) => {
    if (!ended) {
      ended = true;
      onEnd(result);
    }
  };
  const reader = stream.getReader();
  return {
    async read() {
      let timer;
      try {
        for (;;) {
          const read = reader.read();
          const { value, done } = betweenBytesMs === undefined
            ? await read
            : await Promise.race([read, new Promise((_, reject) => {
              // (betweenBytesMs is at most MAX_TIMER_MS: client.mjs leaves longer ones out.)
              timer = setTimeout(() => reject(Object.assign(new Error('no bytes within the between-bytes timeout'), { code: 'CMBRIDGE_BETWEEN_BYTES_TIMEOUT' })), betweenBytesMs);
            })]);
          clearTimeout(timer);
          if (done) {
            if (length !== undefined && seen !== length) throw new BodySizeError(sizeTag, seen);
            end(ok());
            return { done: true, value: undefined };
          }
          seen += value.byteLength;
          if (length !== undefined && seen > length) throw new BodySizeError(sizeTag, seen);
          if (value.byteLength > 0) return { done: false, value };
        }
      } catch (e) {
        reader.cancel(e).catch(() => {});
        const code = e instanceof BodySizeError ? e.payload : errorCodeOf ? errorCodeOf(e) : internalError(e?.message ?? String(e));
        end(err(code));
        throw e;
      } finally {
        clearTimeout(timer);
      }
    },
    // Its reader went away (the client disconnected, the guest dropped the stream).
    cancel(reason) {
      end(err({ tag: 'connection-terminated' }));
      return reader.cancel(reason);
    },
  };
}

/** watchedReader as a byte ReadableStream. */
export function watchEnd(stream, onEnd, options) {
  return byteStreamOf(watchedReader(stream, onEnd, options));
}

/** A byte ReadableStream of a reader (`{ read(), cancel(reason) }`) that gives chunks with bytes in them. */
export function byteStreamOf(source) {
  return byteStream({
    async pull(controller) {
      try {
        const { value, done } = await source.read();
        if (done) {
          controller.close();
          return;
        }
        // enqueue detaches the chunk's whole buffer: a view of a shared one (a pooled
        // node Buffer) is copied first.
        controller.enqueue(value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value : value.slice());
      } catch (e) {
        controller.error(e);
      }
    },
    cancel(reason) {
      return source.cancel(reason);
    },
  });
}

export class Body {
  /**
   * `contents`: a ReadableStream, or undefined for none. `trailers`: a Promise of the
   * trailers result. `transmitted`: whether `new` gave the guest a future that this body
   * settles (a message the guest built).
   */
  constructor(contents, trailers, { transmitted = false } = {}) {
    this.contents = contents;
    this.trailers = trailers;
    // A guest may drop its trailers future without writing: that is its business, not an
    // unhandled rejection of ours.
    trailers?.catch?.(() => {});
    this.state = 'unread';
    this.transmitted = null;
    if (transmitted) {
      this.transmitted = new Promise((resolve) => {
        this.settleTransmitted = resolve;
      });
    }
  }

  /** Settles the guest's "transmitted" future, once: `ok()` or `err(code)`. */
  settle(result) {
    const settle = this.settleTransmitted;
    this.settleTransmitted = null;
    settle?.(result);
  }

  /**
   * Takes the body to read it: `{ contents, trailers }`, contents never undefined. The
   * body is then consumed; a second take is a bug of the caller.
   */
  take() {
    if (this.state !== 'unread') throw new Error(`wasi:http: the body was already ${this.state}`);
    this.state = 'consumed';
    return { contents: this.contents ?? emptyStream(), trailers: this.trailers ?? Promise.resolve(ok()) };
  }

  /**
   * `consume-body` by the guest: the contents as a stream and the trailers as a future
   * that settles only after the contents ended, as the WIT requires. `res`: the guest's
   * future for the outcome of its handling, which a host transport may watch.
   */
  consume(res) {
    const { contents, trailers } = this.take();
    let ended;
    const end = new Promise((resolve) => {
      ended = resolve;
    });
    const stream = watchEnd(contents, ended, { errorCodeOf });
    this.settle(ok());
    const trailersAfterEnd = end.then((result) => (result.tag === 'err' ? result : trailers));
    res?.catch?.(() => {});
    this.guestOutcome = res;
    this.onConsumed?.();
    return [stream, trailersAfterEnd];
  }

  /** The message was dropped unread: its contents are cancelled, its future says so. */
  drop(what) {
    if (this.state !== 'unread') return;
    this.state = 'dropped';
    this.contents?.cancel(new Error(`the ${what} was dropped`)).catch(() => {});
    this.settle(err(internalError(`the ${what} was dropped before it was sent`)));
  }
}

export { ok, err };
