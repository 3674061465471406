// The JS half of streams and futures, one per instantiation (docs/async-design.md: the
// engine decides, JS acts). The engine (bridge/store_bindings.cpp, "streams and futures")
// runs every rendezvous and returns the copies it decided as CopyInstructions; here they
// are carried out:
//  - elements that are plain numbers (or none) are bytes: one `Uint8Array.prototype.set`
//    between two memories or into/out of a host chunk, `copyWithin` inside one memory
//    (the ranges may overlap);
//  - other elements between two guests go back to the engine (copy_values: handles move
//    between the two instances' tables, strings are transcoded);
//  - other elements to or from the host go through the element type's JS codec.
// It also runs the host's side of ends the host holds (held ends): a readable end lifted
// out to JS, the writable end behind a stream or future the host produces. Every host op
// is async; its Promise settles when the engine gives its end an event, which JS looks for
// after every guest op (the engine never calls out).
import { ComponentTrap } from '../../errors.mjs';
import { guestTrap } from '../guest-trap.mjs';
import { STACK_TRAPPED, refusal } from '../instance-state.mjs';

// BLOCKED, MUST_BLOCK (a sync op that cannot finish without blocking its thread), a copy
// event's result in its payload's low 4 bits (COMPLETED, DROPPED, CANCELLED; the rest is
// the number of elements copied), and the Store's stream_out_ words: [second result, copy
// count, then per copy COPY_WORDS words: flags, source memory or host id, source pointer or
// element index, destination the same, n, element byte size]. From the engine
// (js/engine/abi-numbers.mjs).
import {
  BLOCKED, COPY_BYTES as BYTES, COPY_CANCELLED as CANCELLED, COPY_COMPLETED as COMPLETED,
  COPY_DROPPED as DROPPED, COPY_DST_HOST as DST_HOST, COPY_SRC_HOST as SRC_HOST, COPY_WORDS, MAX_COPIES, MUST_BLOCK,
} from '../../engine/abi-numbers.mjs';

export { BLOCKED, CANCELLED, COMPLETED, DROPPED, MUST_BLOCK };

/**
 * Where a host read of bytes wants exactly the bytes that come, in an array of their own
 * (a default reader's chunk): the copy allocates it, instead of the reader keeping a
 * scratch buffer per stream and slicing each chunk out of it. `bytes` after the read.
 */
export class ByteSink {
  constructor() {
    this.bytes = null;
  }

  /** The array a copy of bytes up to offset `end` goes into (grown if a copy came before). */
  receive(end) {
    if (this.bytes === null) this.bytes = new Uint8Array(end);
    else if (this.bytes.length < end) {
      const grown = new Uint8Array(end);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    return this.bytes;
  }
}

const hosts = new WeakMap();

/** The StreamHost of `runtime`, made on first use. */
export function streamHost(runtime) {
  let host = hosts.get(runtime);
  if (!host) hosts.set(runtime, (host = new StreamHost(runtime)));
  return host;
}

class StreamHost {
  constructor(runtime) {
    this.runtime = runtime;
    this.engine = runtime.engine;
    this.store = runtime.resources.store;
    this.outPtr = this.store.streamOutPtr();
    this.words = null;
    this.contexts = new Map();   // memory id -> CallContext of a built-in
    this.contextIds = new Map(); // CallContext -> memory id
    this.typeIds = new Map();    // plan type index of a stream/future type -> engine element type id
    this.ops = new Map();        // held end id -> its host op in flight
    this.watchLockdown(runtime.lockdown);
  }

  // A trap locks the instantiation down (decisions.md 5): no guest op will ever complete a
  // host op again, so the host's reads and writes in flight fail with the trap instead of
  // waiting forever. Traps set `lockdown.reason` in one place (guest-trap.mjs guestTrap); this
  // instantiation's Lockdown object is given an accessor that hears it.
  watchLockdown(lockdown) {
    let reason = lockdown.reason;
    Object.defineProperty(lockdown, 'reason', {
      configurable: true,
      enumerable: true,
      get: () => reason,
      set: (message) => {
        reason = message;
        // (The placeholder is followed by the real reason a microtask later: fail then.)
        if (message !== null && message !== STACK_TRAPPED) this.failHostOps();
      },
    });
  }

  trapped() {
    return new ComponentTrap(refusal(this.runtime.lockdown.reason));
  }

  failHostOps() {
    const ops = [...this.ops.values()];
    this.ops.clear();
    for (const op of ops) op.reject(this.trapped());
  }

  /** The out words, current (heap growth detaches the old view). */
  get out() {
    if (this.words === null || this.words.buffer !== this.engine.HEAPU8.buffer) {
      this.words = new Uint32Array(this.engine.HEAPU8.buffer, this.outPtr, 2 + COPY_WORDS * MAX_COPIES);
    }
    return this.words;
  }

  /** The engine's id of the element type of stream/future type `typeIndex` (-1: none). */
  elementTypeId(typeIndex) {
    let id = this.typeIds.get(typeIndex);
    if (id === undefined) {
      const element = this.runtime.plan.types[typeIndex].element;
      id = element === null ? -1 : this.store.definePlanType(this.runtime.compiledId, element);
      this.typeIds.set(typeIndex, id);
    }
    return id;
  }

  /** The memory id a built-in's CallContext is known by in copy instructions. */
  memoryId(ctx) {
    let id = this.contextIds.get(ctx);
    if (id === undefined) {
      id = this.runtime.openGuestMemory(ctx);  // for the runtime's life: ops stay pending across calls
      this.contextIds.set(ctx, id);
      this.contexts.set(id, ctx);
    }
    return id;
  }

  /** Carries out the copies the last engine op left, in order. */
  runCopies() {
    const out = this.out;
    const count = out[1];
    if (count === 0) return;
    const words = out.slice(2, 2 + count * COPY_WORDS);
    for (let k = 0; k < count; k++) {
      const w = k * COPY_WORDS;
      const flags = words[w];
      const src = words[w + 1], srcPtr = words[w + 2];
      const dst = words[w + 3], dstPtr = words[w + 4];
      const n = words[w + 5], size = words[w + 6];
      if (flags & BYTES) {
        this.copyBytes(flags, src, srcPtr, dst, dstPtr, n * size, size);
      } else if (!(flags & (SRC_HOST | DST_HOST))) {
        this.store.copyValues(k);
      } else if ((flags & SRC_HOST) && (flags & DST_HOST)) {
        // Host to host: a stream or future the host made, handed to a guest and back (a
        // wasi:http proxy passes the incoming request's trailers future on to client.send).
        // The values are JS values already checked: they pass as they are.
        const from = this.ops.get(src);
        const to = this.ops.get(dst);
        for (let i = 0; i < n; i++) to.chunk[to.base + dstPtr + i] = from.chunk[from.base + srcPtr + i];
      } else if (flags & DST_HOST) {
        // Guest to host: lift n values out of the writer's memory.
        const op = this.ops.get(dst);
        const ctx = this.contexts.get(src);
        ctx.path = 'stream element';
        ctx.startLift();
        ctx.mem.refresh();
        for (let i = 0; i < n; i++) op.chunk[op.base + dstPtr + i] = op.codec.load(ctx, srcPtr + i * size);
      } else {
        // Host to guest: lower n values (already checked) into the reader's memory.
        const op = this.ops.get(src);
        const ctx = this.contexts.get(dst);
        ctx.path = 'stream element';
        for (let i = 0; i < n; i++) {
          ctx.mem.refresh();
          op.codec.store(ctx, op.chunk[op.base + srcPtr + i], dstPtr + i * size);
        }
      }
    }
  }

  copyBytes(flags, src, srcPtr, dst, dstPtr, length, size) {
    if (length === 0) return;
    let from, fromAt, to, toAt;
    if (flags & SRC_HOST) {
      from = this.ops.get(src).chunk;
      fromAt = srcPtr * size;
    } else {
      from = this.contexts.get(src).mem.refresh().bytes;
      fromAt = srcPtr;
    }
    if (flags & DST_HOST) {
      to = this.ops.get(dst).chunk;
      toAt = dstPtr * size;
      if (to instanceof ByteSink) to = to.receive(toAt + length);
    } else {
      to = this.contexts.get(dst).mem.refresh().bytes;
      toAt = dstPtr;
    }
    if (from.buffer === to.buffer) {
      // One memory: the ranges may overlap, and copyWithin behaves as "read all, then write".
      const base = to.byteOffset;
      new Uint8Array(to.buffer).copyWithin(base + toAt, from.byteOffset + fromAt, from.byteOffset + fromAt + length);
      return;
    }
    to.set(from.subarray(fromAt, fromAt + length), toAt);
  }

  /** After any op on an end: settle host ops that got their event, wake threads. */
  afterOp() {
    this.settleHostOps();
    this.runtime.async.scheduleDrain();
  }

  // Only the ops the engine says got an event: asking every op in flight made each op cost
  // O(ops in flight), which a server with many idle futures (a guest that never reads the
  // future `response.new` gives it) turned quadratic.
  settleHostOps() {
    const store = this.store;
    for (let id = store.nextSettled(); id !== 0; id = store.nextSettled()) {
      const op = this.ops.get(id);
      if (op === undefined) continue;  // settled at once (hostCopy), cancelled or dropped
      const payload = store.hostPoll(id);
      if (payload < 0) continue;
      this.ops.delete(id);
      op.resolve(payload);
    }
  }

  // ---- ends the host holds ---------------------------------------------------------------

  /** Takes readable end i out of instance `inst`'s table; returns its held id. */
  liftEnd(inst, typeIndex, i, future) {
    return this.store.liftEnd(inst, this.elementTypeId(typeIndex), i, future);
  }

  /** Puts held readable end `id` into instance `inst`'s table; returns its index. */
  lowerEnd(inst, id) {
    return this.store.lowerEnd(inst, id);
  }

  /** A stream or future the host writes: { writable, readable } held ids. */
  newHostEnd(typeIndex, future) {
    const writable = this.store.hostEndNew(this.elementTypeId(typeIndex), future);
    return { writable, readable: this.out[0] };
  }

  /**
   * The host reads or writes through held end `id`: `chunk` is a Uint8Array (elements that
   * are plain numbers, `size` bytes each), a ByteSink (a read of bytes) or an Array of
   * values from element `base` on, converted with `codec`. A Promise of the op's payload (result | progress << 4); it
   * rejects with a ComponentTrap when the instantiation traps first.
   */
  hostCopy(id, n, chunk, { base = 0, size = 1, codec = null } = {}) {
    if (this.runtime.lockdown.reason === STACK_TRAPPED) {
      return this.runtime.async.stackTrapReason().then(() => { throw this.trapped(); });
    }
    return new Promise((resolve, reject) => {
      if (this.runtime.lockdown.reason !== null) throw this.trapped();
      const op = { chunk, base, size, codec, resolve, reject };
      this.ops.set(id, op);
      let r;
      try {
        r = this.store.hostCopy(id, n);
        this.runCopies();
      } catch (e) {
        this.ops.delete(id);
        // A trap while copying (a guest's malformed value, its realloc trapping) is the
        // guest's: its instantiation is locked down as for any trap.
        throw e instanceof WebAssembly.RuntimeError ? guestTrap(e, this.runtime.lockdown) : e;
      }
      if (r !== BLOCKED) {
        this.ops.delete(id);
        resolve(r);
      }
      // The op may have completed the other end's pending op: a guest's (its thread may
      // run) or the host's own (a stream the host both writes and reads).
      this.afterOp();
    });
  }

  /** Whether held end `id` has an op in flight. */
  busy(id) {
    return this.ops.has(id);
  }

  /** Cancels the host op in flight on `id`; its Promise settles with the payload. */
  hostCancel(id) {
    const op = this.ops.get(id);
    if (!op || this.runtime.disposed) return;
    this.ops.delete(id);
    const payload = this.store.hostCancel(id);
    this.runtime.async.scheduleDrain();
    op.resolve(payload);
  }

  /** The host lets go of held end `id` (cancelling its op first): the other end sees DROPPED. */
  hostDrop(id) {
    // (A disposed instance's engine is gone, and its ends with it: nothing to let go of.)
    if (this.runtime.disposed) return;
    this.hostCancel(id);
    this.store.hostDrop(id);
    this.afterOp();
  }
}
