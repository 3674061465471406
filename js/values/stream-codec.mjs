// stream<T> and future<T> as JS values (README "Values"; docs/async-design.md "Streams
// and futures in JS"). A value of these types is the readable end of a stream or future,
// a handle in the sending instance's table; lifting takes the end out of the table, and
// lowering puts it into the receiver's (abi/values/async_values.h).
//
// Out to the host, the end is read by the host (js/runtime/async/stream-host.mjs):
//  - stream<u8>: a byte ReadableStream (`type: 'bytes'`): each pull is one host read into
//    the consumer's chunk (the BYOB view, or a 64 KiB one the stream allocates), so the
//    guest's write completes as the consumer reads and nothing is buffered in between;
//  - other stream<T>: a ReadableStream of JS values (each read pulls up to a batch);
//  - future<T>: a Promise of the value.
// In from the host, the guest gets the readable end of a new stream or future whose
// writable end the host drives: from a ReadableStream, an async (or sync) iterable, a
// TypedArray or an Array (stream); from any thenable (future).
// Between two guests (a lowered call inside one instantiation) the end is not read at all:
// it travels as a GuestEnd and moves from one table to the other, as a GuestString keeps a
// guest string's bytes.
import { ComponentTrap } from '../errors.mjs';
import { canonicalNaN, canonicalizeNaNs } from './floats.mjs';
import { ByteSink, COMPLETED, DROPPED, streamHost } from '../runtime/async/stream-host.mjs';
import { DISPOSE, byteStream } from '../platform.mjs';

const BYTE_CHUNK = 64 * 1024;
const FIRST_READ_LIMIT = 4 * 1024;
const VALUE_BATCH = 64;

const TYPED_ARRAYS = {
  u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array,
  s32: Int32Array, u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array,
};

// Host arrays already checked and turned into chunks (check, then lower, of one call).
const checkedChunks = new WeakMap();
const takeChecked = (v) => {
  const chunk = checkedChunks.get(v);
  checkedChunks.delete(v);
  return chunk;
};

/** The readable end of a stream or future in transit between two guests. */
export class GuestEnd {
  constructor(host, id, future) {
    this.host = host;
    this.id = id;      // the engine's held end
    this.future = future;
    this.used = false;
  }
}

/** The codec of stream/future type `t` (`codecs`: js/values/codec.mjs Codecs). */
export function streamCodec(codecs, t) {
  const future = t.kind === 'future';
  const runtime = codecs.resources.runtime;
  const typeIndex = codecs.types.indexOf(t);
  const elemType = t.element === null ? null : codecs.types[t.element];
  let element;
  const info = () => (element ??= elementInfo(codecs, t.element, elemType));

  const lift = (ctx, i) => {
    const host = streamHost(runtime);
    const id = host.liftEnd(ctx.instance.index, typeIndex, i >>> 0, future);
    if (ctx.keepGuestStrings) return new GuestEnd(host, id, future);
    if (future) return futureToPromise(host, id, info());
    if (ctx.rawByteStreams && info().kind === 'u8') return new HostBytes(host, id);
    return streamToReadable(host, id, info());
  };
  const lower = (ctx, v) => {
    const host = streamHost(runtime);
    if (v instanceof GuestEnd) {
      // GuestEnds only exist between the instances of one instantiation.
      if (v.host !== host) throw new TypeError(`${ctx.path}: a ${t.kind} end of another instantiation`);
      if (v.used) throw new TypeError(`${ctx.path}: this ${t.kind} end was already passed on`);
      v.used = true;
      return host.lowerEnd(ctx.instance.index, v.id);
    }
    let chunk = null;
    if (!future && isWhole(v)) chunk = takeChecked(v) ?? toChunk(v, info(), ctx.path);
    else check(v, ctx.path);
    const { writable, readable } = host.newHostEnd(typeIndex, future);
    const writing = future ? writeFuture(host, writable, v, info()) : writeStream(host, writable, v, info(), chunk);
    writing.catch(report);
    return host.lowerEnd(ctx.instance.index, readable);
  };
  const check = (v, path) => {
    if (v instanceof GuestEnd) return;
    if (future) {
      if (v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function') return;
      throw new TypeError(`${path}: expected a Promise (or any thenable) for a future, got ${describe(v)}`);
    }
    if (isWhole(v)) {
      // Checked element by element now, so that a bad element is the caller's TypeError
      // before any guest runs; lowering then uses the chunk made here.
      checkedChunks.set(v, toChunk(v, info(), path));
      return;
    }
    if (isStreamSource(v)) {
      if (v.locked === true) throw new TypeError(`${path}: the ReadableStream is locked to a reader`);
      return;
    }
    throw new TypeError(`${path}: expected a ReadableStream, an async iterable, an array or a TypedArray for a stream, got ${describe(v)}`);
  };

  return {
    type: t, size: t.size, align: t.align, flatCount: t.flat.length,
    check,
    lowerFlat(ctx, v, out) { out.push(lower(ctx, v)); },
    liftFlat: (ctx, flat, pos) => lift(ctx, flat[pos]),
    store(ctx, v, ptr) {
      const i = lower(ctx, v);
      ctx.mem.refresh().view.setUint32(ptr, i, true);
    },
    load: (ctx, ptr) => lift(ctx, ctx.mem.view.getUint32(ptr, true)),
  };
}

// How the host holds a chunk of elements: bytes for plain numbers (a TypedArray view gives
// the values), an Array of values otherwise (converted by the element's codec), nothing for
// a stream without element type (only counts move).
function elementInfo(codecs, index, elemType) {
  if (elemType === null) return { kind: 'none', bytes: false, float: false, size: 0, codec: null, Typed: null };
  const Typed = TYPED_ARRAYS[elemType.kind] ?? null;
  const float = elemType.kind === 'f32' || elemType.kind === 'f64';
  return { kind: elemType.kind, bytes: Typed !== null, float, size: elemType.size, codec: codecs.get(index), Typed };
}

function settledAsResult(thenable) {
  const isCase = (v) => v !== null && typeof v === 'object' && (v.tag === 'ok' || v.tag === 'err');
  return Promise.resolve(thenable).then(
    (v) => (isCase(v) ? v : { tag: 'ok', val: v }),
    (e) => ({ tag: 'err', val: e !== null && typeof e === 'object' && 'payload' in e ? e.payload : e }),
  );
}

function isStreamSource(v) {
  if (v === null || typeof v !== 'object') return false;
  return typeof v.getReader === 'function' || typeof v[Symbol.asyncIterator] === 'function' ||
    typeof v[Symbol.iterator] === 'function' || ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
}

function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'Object'})`;
  return `${typeof v} ${String(v)}`;
}

// ---- out to the host ---------------------------------------------------------------------

// DISPOSE (platform.mjs) is the key a host uses to give up a stream it will not read
// (explicit resource management).

// A stream the guest writes, as a ReadableStream. Disposing it (`using`, or a host that
// refuses the data, as the WASI 0.3 shim's write to a read-only file does) cancels it, as
// `cancel()` does, when no reader holds it: the guest's writer then sees its end dropped
// instead of waiting forever.
function disposable(readable) {
  Object.defineProperty(readable, DISPOSE, {
    value() {
      if (!readable.locked) readable.cancel().catch(() => {});
    },
    configurable: true,
  });
  return readable;
}

function streamToReadable(host, id, elem) {
  let cancelled = false;
  const close = () => {
    if (!cancelled) host.hostDrop(id);
    cancelled = true;
  };
  if (elem.kind === 'u8') {
    // A default reader's read (no BYOB request) gets a chunk of exactly the bytes that
    // came, allocated by the copy (ByteSink). It asks for up to `limit` bytes, which starts
    // small and doubles up to BYTE_CHUNK while reads fill it, so that a stream of large
    // writes is read in large chunks. (An autoAllocateChunkSize of 64 KiB made every read,
    // of a 12-byte HTTP body too, allocate and zero 64 KiB: most of the time of a small
    // wasi:http response; a scratch buffer per stream, sliced, still cost an allocation
    // of 4 KiB per stream and one more per read.)
    let limit = FIRST_READ_LIMIT;
    const readInto = async (controller) => {
      for (;;) {
        const sink = new ByteSink();
        const payload = await host.hostCopy(id, limit, sink);
        if (cancelled) return;
        const result = payload & 0xf;
        const progress = payload >>> 4;
        if (progress > 0) controller.enqueue(sink.bytes.length === progress ? sink.bytes : sink.bytes.subarray(0, progress));
        if (progress === limit && limit < BYTE_CHUNK) limit *= 2;
        if (result === DROPPED) {
          close();
          controller.close();
          return;
        }
        if (progress > 0) return;
      }
    };
    return disposable(byteStream({
      async pull(controller) {
        // (No byobRequest: a default reader, or an engine without byte streams.)
        const request = controller.byobRequest;
        if (!request) return readInto(controller);
        const view = request.view;
        const chunk = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
        for (;;) {
          const payload = await host.hostCopy(id, chunk.length, chunk);
          if (cancelled) return;
          const result = payload & 0xf;
          const progress = payload >>> 4;
          if (progress > 0) request.respond(progress);
          if (result === DROPPED) {
            close();
            controller.close();
            if (progress === 0) request.respond(0);
            return;
          }
          if (progress > 0) return;
        }
      },
      cancel: close,
    }));
  }
  return disposable(new ReadableStream({
    async pull(controller) {
      for (;;) {
        const n = elem.bytes ? Math.max(1, Math.floor(BYTE_CHUNK / elem.size)) : VALUE_BATCH;
        const chunk = elem.bytes ? new Uint8Array(n * elem.size) : new Array(n);
        const payload = await host.hostCopy(id, n, chunk, { size: elem.size, codec: elem.codec });
        if (cancelled) return;
        const result = payload & 0xf;
        const progress = payload >>> 4;
        const values = elem.bytes ? new elem.Typed(chunk.buffer, 0, progress) : chunk;
        if (elem.float) canonicalizeNaNs(values);
        for (let i = 0; i < progress; i++) controller.enqueue(values[i]);
        if (result === DROPPED) {
          close();
          controller.close();
          return;
        }
        if (progress > 0) return;
      }
    },
    cancel: close,
  }, { highWaterMark: 0 }));
}

/**
 * A stream<u8> the host reads, as the reader part of a ReadableStream: `getReader()` (it is
 * its own reader), `read()` (a chunk of the bytes that came, as the stream's default reader
 * gives them), `cancel()`, `releaseLock()`, `locked`, and DISPOSE. What reads a stream
 * through getReader() takes it as it would a ReadableStream (watchedReader, collect, a
 * lower into a guest); `byteStreamOf` (http/body.mjs) makes a ReadableStream of it.
 */
export class HostBytes {
  constructor(host, id) {
    this.host = host;
    this.id = id;
    this.ended = false;
    this.locked = false;
    this.limit = FIRST_READ_LIMIT;
  }

  getReader() {
    if (this.locked) throw new TypeError('the stream is locked to a reader');
    this.locked = true;
    return this;
  }

  releaseLock() {
    this.locked = false;
  }

  async read() {
    for (;;) {
      if (this.ended) return { done: true, value: undefined };
      const sink = new ByteSink();
      const payload = await this.host.hostCopy(this.id, this.limit, sink);
      if (this.ended) return { done: true, value: undefined };  // cancelled meanwhile
      const progress = payload >>> 4;
      if (progress === this.limit && this.limit < BYTE_CHUNK) this.limit *= 2;
      if ((payload & 0xf) === DROPPED) this.end();
      if (progress > 0) return { done: false, value: sink.bytes.length === progress ? sink.bytes : sink.bytes.subarray(0, progress) };
    }
  }

  cancel() {
    this.end();
    return Promise.resolve();
  }

  end() {
    if (this.ended) return;
    this.ended = true;
    this.host.hostDrop(this.id);
  }

  [DISPOSE]() {
    if (!this.locked) this.end();
  }
}

async function futureToPromise(host, id, elem) {
  const chunk = elem.bytes ? new Uint8Array(elem.size) : [undefined];
  const payload = await host.hostCopy(id, 1, chunk, { size: elem.size, codec: elem.codec });
  host.hostDrop(id);
  if ((payload & 0xf) !== COMPLETED) throw new Error('the future was dropped before it had a value');
  return elem.bytes ? canonicalNaN(new elem.Typed(chunk.buffer, 0, 1)[0]) : chunk[0];
}

// A host source that fails (or yields a value of the wrong type) after the call that
// passed it has returned has no caller to throw to: the guest sees its end dropped, and the
// error is reported as an uncaught one would be. (A trap has been reported to the caller
// whose call trapped.)
function report(error) {
  if (error instanceof ComponentTrap) return;
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}

// ---- in from the host --------------------------------------------------------------------

// Writes every chunk of `source` through held writable end `id`, one host write at a time
// (each waits for the guest's reads: nothing is buffered beyond the source's own chunk),
// then drops the end. When the guest drops its readable end first, the source is
// cancelled. A value the source produces that does not fit the element type ends the
// stream and rejects the returned Promise with the TypeError.
async function writeStream(host, id, source, elem, whole) {
  // A TypedArray or Array is one chunk (`whole`, in host form), written at once: the guest
  // may read it in the same call that passed it. Other sources are read chunk by chunk, and
  // only as the guest reads: a 0-length write first waits for the guest's read (the spec's
  // readiness probe: it completes when a read is pending, and leaves that read pending),
  // then one chunk is pulled from the source. Pulling ahead would take data from the
  // source that the guest may never read (it may drop its end instead).
  const chunks = whole ? null : chunksOf(source, elem);
  const empty = elem.bytes ? new Uint8Array(0) : [];
  let finished = false;
  try {
    if (whole) {
      finished = await writeChunk(host, id, whole, elem);
    } else {
      for (;;) {
        const ready = await host.hostCopy(id, 0, empty, { size: elem.size, codec: elem.codec });
        if ((ready & 0xf) === DROPPED) {
          await chunks.return?.();
          break;
        }
        const { value: chunk, done } = await chunks.next();
        if (done) break;
        if (await writeChunk(host, id, chunk, elem)) {
          await chunks.return?.();
          break;
        }
      }
    }
    finished = true;
  } finally {
    host.hostDrop(id);
    if (!finished) await chunks?.return?.().catch(() => {});
  }
}

// Writes one chunk (in host form) until the guest has taken all of it; true when the
// guest dropped its end first.
async function writeChunk(host, id, chunk, elem) {
  const count = elem.bytes ? chunk.length / elem.size : chunk.length;
  let done = 0;
  while (done < count) {
    const data = elem.bytes ? chunk.subarray(done * elem.size) : chunk;
    const payload = await host.hostCopy(id, count - done, data, { base: elem.bytes ? 0 : done, size: elem.size, codec: elem.codec });
    done += payload >>> 4;
    if ((payload & 0xf) === DROPPED) return true;
  }
  return false;
}

function isWhole(v) {
  return ArrayBuffer.isView(v) || v instanceof ArrayBuffer || Array.isArray(v);
}

// A chunk of elements in host form (see elementInfo), checked against the element type.
function toChunk(items, elem, path = 'stream element') {
  if (elem.bytes) {
    if (items instanceof elem.Typed) {
      // Floats: NaNs go in as the canonical one (values/floats.mjs), on a copy.
      if (elem.float) return new Uint8Array(canonicalizeNaNs(items.slice()).buffer);
      return new Uint8Array(items.buffer, items.byteOffset, items.byteLength);
    }
    if (elem.kind === 'u8' && (ArrayBuffer.isView(items) || items instanceof ArrayBuffer)) {
      return ArrayBuffer.isView(items) ? new Uint8Array(items.buffer, items.byteOffset, items.byteLength) : new Uint8Array(items);
    }
    const values = Array.from(items);
    for (const v of values) elem.codec.check(v, path);
    const typed = elem.Typed.from(values);
    return new Uint8Array((elem.float ? canonicalizeNaNs(typed) : typed).buffer);
  }
  const values = Array.from(items);
  if (elem.codec) for (const v of values) elem.codec.check(v, path);
  return values;
}

// The chunks of a ReadableStream or an iterable, in host form. A ReadableStream of bytes
// (or an iterable for stream<u8>) yields chunks; of anything else, one value per item.
async function* chunksOf(source, elem) {
  const oneOrChunk = (item) => (elem.kind === 'u8' && typeof item !== 'number' ? toChunk(item, elem) : toChunk([item], elem));
  if (typeof source.getReader === 'function') {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield oneOrChunk(value);
      }
    } finally {
      reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  if (typeof source[Symbol.asyncIterator] === 'function') {
    for await (const item of source) yield oneOrChunk(item);
    return;
  }
  for (const item of source) yield oneOrChunk(item);
}

// Writes the thenable's value through held writable future end `id`. For a
// future<result<T, E>>, the thenable answers as a host function does (jco's convention,
// which WASI 0.3's shims follow): a value that is not `{ tag: 'ok' | 'err' }` is ok(value),
// a rejection err(its `payload`, else the reason). Otherwise a rejected thenable leaves the
// future without a value (a guest's writer must write; the host cannot): the end is
// dropped, the guest's read never completes, and the rejection is reported.
async function writeFuture(host, id, thenable, elem) {
  let value;
  try {
    value = elem.kind === 'result' ? await settledAsResult(thenable) : await thenable;
    if (elem.codec) elem.codec.check(value, 'future value');
  } catch (e) {
    host.hostDrop(id);
    throw e;
  }
  const chunk = elem.bytes ? new Uint8Array(elem.Typed.of(value).buffer) : [value];
  await host.hostCopy(id, 1, chunk, { size: elem.size, codec: elem.codec });
  host.hostDrop(id);
}
