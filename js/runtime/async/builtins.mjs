// The async canon built-ins as core functions (CanonicalABI.md "canon task.return" …
// "canon thread.yield"): each one finds the calling thread and makes one engine call,
// whose guard lines and traps are the engine's (abi/async/canon_async.cpp). What touches
// guest memory (task.return's values, the event wait/poll store) is done here.
import { trap } from '../../errors.mjs';
import { GuestMemory } from '../../values/memory.mjs';
import { describeFuncType } from '../functions.mjs';
import { SYNC_TASK } from './sync-task.mjs';
import { OUT_P1, OUT_P2 } from './engine-view.mjs';
import { jspiMissing } from './jspi.mjs';
import { makeStreamBuiltin } from './stream-builtins.mjs';
import { TaskReturnLifter } from './task-return.mjs';

const BLOCKED = -1;

/** The core function for async built-in `builtin`, or undefined if it is not one. */
export function makeAsyncBuiltin(runtime, builtin, state) {
  const fn = asyncBuiltin(runtime, builtin, state);
  if (!fn || builtin.op.startsWith('backpressure.')) return fn;
  // The engine's may_leave stays true in this build (decisions.md 4): JS checks it first.
  return (...args) => {
    if (!state.mayLeave) trap('cannot leave component instance');
    return fn(...args);
  };
}

function asyncBuiltin(runtime, builtin, state) {
  const driver = () => runtime.async;
  const op = builtin.op;
  switch (op) {
    case 'task.return':
      return taskReturn(runtime, builtin, state);
    case 'task.cancel':
      return () => {
        const d = driver();
        d.store.taskCancel(d.currentThread(op));
      };
    case 'waitable-set.new':
      return () => {
        const d = driver();
        return d.store.waitableSetNew(d.currentThread(op));
      };
    case 'waitable-set.wait':
    case 'waitable-set.poll': {
      const wait = op === 'waitable-set.wait';
      const cancellable = !!builtin.cancellable;
      let mem = null;
      return (si, ptr) => {
        const d = driver();
        const thread = d.currentThread(op);
        mem ??= new GuestMemory(runtime.resolveCore(builtin.memory));
        ptr >>>= 0;
        const size = mem.size;
        const code = wait
          ? d.store.waitableSetWait(thread, cancellable, si >>> 0, ptr, size)
          : d.store.waitableSetPoll(thread, cancellable, si >>> 0, ptr, size);
        if (code === BLOCKED) trap(`waitable-set.wait would block: ${jspiMissing()}`);
        // The engine checked alignment and bounds against `size`; JS stores the event.
        const out = d.view.out;
        const view = mem.refresh().view;
        view.setUint32(ptr, out[OUT_P1], true);
        view.setUint32(ptr + 4, out[OUT_P2], true);
        return code;
      };
    }
    case 'waitable-set.drop':
      return (si) => {
        const d = driver();
        d.store.waitableSetDrop(d.currentThread(op), si >>> 0);
      };
    case 'waitable.join':
      return (wi, si) => {
        const d = driver();
        d.store.waitableJoin(d.currentThread(op), wi >>> 0, si >>> 0);
        d.scheduleDrain();
      };
    case 'subtask.drop':
      return (i) => {
        const d = driver();
        d.store.subtaskDrop(d.currentThread(op), i >>> 0);
      };
    case 'thread.yield': {
      const cancellable = !!builtin.cancellable;
      return () => {
        const d = driver();
        const thread = d.current[d.current.length - 1];
        // A sync task has nothing it may yield to: it carries on (docs/async-design.md).
        if (thread === undefined || thread === SYNC_TASK) return 0;
        const r = d.store.threadYield(thread, cancellable);
        if (r === BLOCKED) trap(`thread.yield would block: ${jspiMissing()}`);
        return r;
      };
    }
    // The gate is the engine's (Task::has_backpressure); these may run in a sync task.
    case 'backpressure.inc':
      return () => {
        runtime.resources.store.backpressureInc(state.index);
      };
    case 'backpressure.dec':
      return () => {
        runtime.resources.store.backpressureDec(state.index);
        // The gate may have opened for a queued call.
        driver().scheduleDrain();
      };
    default:
      return makeStreamBuiltin(runtime, builtin, state);
  }
}

// task.return: the engine checks the task's state (a second return traps); the driver
// checks the result type and options against the lift (docs/async-design.md, difference 4)
// and lifts the values into the host call.
function taskReturn(runtime, builtin, state) {
  const lifter = new TaskReturnLifter(runtime, builtin, state);
  const types = runtime.plan.types;
  const shape = (t) => JSON.stringify(describeFuncType({ async: false, params: [], result: t }, types).result);
  const resultShape = shape(builtin.result);
  const memoryOf = (options) => (options.memory ? runtime.resolveCore(options.memory) : null);
  return (...flat) => {
    const d = runtime.async;
    const thread = d.current[d.current.length - 1];
    if (thread === undefined || thread === SYNC_TASK) trap('task.return called from a synchronously-lifted export');
    const call = d.byThread.get(thread);
    if (!call) trap('`task.return` called outside of an async task is not supported yet');
    const lift = call.fn.lifted;
    const typeMatches = shape(call.fn.sig.funcType.result) === resultShape;
    const optionsMatch = lift.options.stringEncoding === builtin.options.stringEncoding &&
      memoryOf(lift.options) === memoryOf(builtin.options);
    d.store.taskReturn(thread, typeMatches, optionsMatch);
    call.value = lifter.lift(flat);
  };
}
