// The fourteen stream and future built-ins as core functions (CanonicalABI.md "canon
// stream.new" … "canon future.drop-writable"). Each is one engine call, whose guard lines
// and traps are the engine's (abi/async/canon_streams.cpp); JS carries out the copies the
// engine decided (stream-host.mjs), settles host ops that got their event, and queues a
// drain, since any op may have made a waiting thread ready.
//
// A sync read, write or cancel may block its thread, which a synchronous task may not do:
// the engine's check_may_block traps there before anything else (Wasmtime's rule, which
// the spec's trap-if-block-and-sync.wast quotes). Elsewhere an op that must block suspends
// its stack where JSPI allows (jspi.mjs), and fails naming JSPI where not.
import { CallContext, LiftLowerOptions } from '../call-context.mjs';
import { MUST_BLOCK, streamHost } from './stream-host.mjs';
import { builtinIsAsync } from './jspi.mjs';

const OP = /^(stream|future)\.(new|read|write|cancel-read|cancel-write|drop-readable|drop-writable)$/;

/** The core function for stream/future built-in `builtin`, or undefined if it is not one. */
export function makeStreamBuiltin(runtime, builtin, state, guarded) {
  const m = OP.exec(builtin.op);
  if (!m) return undefined;
  const future = m[1] === 'future';
  const action = m[2];
  const host = streamHost(runtime);
  const store = host.store;
  const type = host.elementTypeId(builtin.type);
  const inst = state.index;
  const async = builtinIsAsync(builtin);
  // The engine's op codes: 0 read, 1 write (stream); 2 read, 3 write (future).
  const side = (action.endsWith('read') || action.endsWith('readable') ? 0 : 1) + (future ? 2 : 0);
  const op = builtin.op;

  // A sync op's thread must be allowed to block, whether or not this op will.
  const checkMayBlock = async ? () => {} : () => store.checkMayBlock(runtime.async.currentThread(op, state));
  // The op must wait for the end's event: the thread waits in the engine, its stack
  // suspends (or this traps), and the op's result is taken when it resumes.
  const mustBlock = (i) => {
    const driver = runtime.async;
    const thread = driver.currentThread(op, state);
    store.blockOnEnd(thread, inst, i);
    driver.block(thread, `\`${op}\``, () => {
      const r = store.finishBlockedCopy(inst, i);
      host.afterOp();
      return r;
    });
    return 0;
  };
  // Sync reads, writes and cancels may suspend: a wasm wrapper (driver.blockingBuiltin),
  // with the may_leave guard inside it.
  const blocking = (fn, params) => (async ? guarded(fn) : runtime.async.blockingBuiltin(guarded(fn), params, 'i32'));

  switch (action) {
    case 'new':
      return guarded(() => {
        const readable = store.endNew(inst, type, future);
        const writable = host.out[0];
        return BigInt(readable) | (BigInt(writable) << 32n);
      });
    case 'read':
    case 'write': {
      // One context for the built-in's life: copies it starts may finish in later calls
      // (stream-host.mjs carries them out by its memory id).
      const ctx = new CallContext(new LiftLowerOptions(runtime, builtin.options, state));
      const hasMemory = !!builtin.options.memory;
      let memoryId = 0;
      const copy = (i, ptr, n) => {
        checkMayBlock();
        if (hasMemory && memoryId === 0) memoryId = host.memoryId(ctx);
        const size = hasMemory ? ctx.mem.size : 0;
        const r = store.copy(inst, side, type, async, memoryId, size, i >>> 0, ptr >>> 0, n >>> 0);
        host.runCopies();
        if (r === MUST_BLOCK) return mustBlock(i >>> 0);
        host.afterOp();
        return r;
      };
      return future ? blocking((i, ptr) => copy(i, ptr, 1), ['i32', 'i32']) : blocking(copy, ['i32', 'i32', 'i32']);
    }
    case 'cancel-read':
    case 'cancel-write':
      return blocking((i) => {
        checkMayBlock();
        const r = store.cancelCopy(inst, side, type, async, i >>> 0);
        if (r === MUST_BLOCK) return mustBlock(i >>> 0);
        host.afterOp();
        return r;
      }, ['i32']);
    default:
      return guarded((i) => {
        store.dropEnd(inst, side, type, i >>> 0);
        host.afterOp();
      });
  }
}
