// The async canon built-ins as core functions (CanonicalABI.md "canon task.return" …
// "canon thread.yield"): each one finds the calling thread and makes one engine call,
// whose guard lines and traps are the engine's (abi/async/canon_async.cpp). What touches
// guest memory (task.return's values, the event wait/poll store) is done here.
import { trap } from '../../errors.mjs';
import { GuestMemory } from '../../values/memory.mjs';
import { describeFuncType } from '../signature.mjs';
import { OUT_P1, OUT_P2, OUT_RESULT, OUT_THREAD } from './engine-view.mjs';
import { makeStreamBuiltin } from './stream-builtins.mjs';
import { TaskReturnLifter } from './task-return.mjs';

// What a built-in that may block returns when the caller's stack must block (BLOCKED), and
// thread.*-then-* when another thread runs now (SWITCHED): from the engine.
import { BUILTIN_BLOCKS as BLOCKED, THREAD_SWITCHED as SWITCHED } from '../../engine/abi-numbers.mjs';

/** The core function for async built-in `builtin`, or undefined if it is not one. */
export function makeAsyncBuiltin(runtime, builtin, state) {
  // The engine's may_leave stays true in this build (decisions.md 4): JS checks it first.
  // Each built-in applies the guard where it is made, inside any blocking wrapper (a
  // blocking built-in is a wasm function around it: no JS frame may sit between a
  // suspending stack and its entry). backpressure.* may run where leaving is not allowed.
  const guarded = (fn) => (...args) => {
    if (!state.mayLeave) trap('cannot leave component instance');
    return fn(...args);
  };
  return asyncBuiltin(runtime, builtin, state, guarded);
}

function asyncBuiltin(runtime, builtin, state, guarded) {
  const driver = () => runtime.async;
  const op = builtin.op;
  switch (op) {
    case 'task.return':
      return taskReturn(runtime, builtin, state);
    case 'task.cancel':
      return guarded(() => {
        const d = driver();
        d.store.taskCancel(d.currentThread(op, state));
      });
    case 'waitable-set.new':
      return guarded(() => {
        const d = driver();
        return d.store.waitableSetNew(d.currentThread(op, state));
      });
    case 'waitable-set.wait':
    case 'waitable-set.poll': {
      const wait = op === 'waitable-set.wait';
      const cancellable = !!builtin.cancellable;
      let mem = null;
      let memoryId = 0;
      // The engine checks alignment and bounds against the memory's size, which it asks of
      // the registry (when a blocked wait resumes, too); JS stores the event (p1, p2) at ptr.
      const storeEvent = (ptr, p1, p2) => {
        const view = mem.refresh().view;
        view.setUint32(ptr, p1, true);
        view.setUint32(ptr + 4, p2, true);
      };
      const attempt = (si, ptr) => {
        const d = driver();
        const thread = d.currentThread(op, state);
        if (mem === null) {
          mem = new GuestMemory(runtime.resolveCore(builtin.memory));
          memoryId = runtime.openGuestMemory({ mem, stringEncoding: 'utf8' });
        }
        ptr >>>= 0;
        const code = wait
          ? d.store.waitableSetWait(thread, cancellable, si >>> 0, ptr, memoryId)
          : d.store.waitableSetPoll(thread, cancellable, si >>> 0, ptr, memoryId);
        if (code === BLOCKED) {
          d.block(thread, op, (resume) => {
            storeEvent(ptr, resume.p1, resume.p2);
            return resume.result;
          });
          return 0;
        }
        const out = d.view.out;
        storeEvent(ptr, out[OUT_P1], out[OUT_P2]);
        return code;
      };
      return wait ? driver().blockingBuiltin(guarded(attempt), ['i32', 'i32'], 'i32') : guarded(attempt);
    }
    case 'waitable-set.drop':
      return guarded((si) => {
        const d = driver();
        d.store.waitableSetDrop(d.currentThread(op, state), si >>> 0);
      });
    case 'waitable.join':
      return guarded((wi, si) => {
        const d = driver();
        d.store.waitableJoin(d.currentThread(op, state), wi >>> 0, si >>> 0);
        d.scheduleDrain();
      });
    case 'subtask.cancel': {
      const async = !!builtin.async;
      const attempt = (i) => {
        const d = driver();
        const thread = d.currentThread(op, state);
        i >>>= 0;
        let r = d.store.subtaskCancel(thread, async, i);
        const out = d.view.out;
        const hostSubtask = out[OUT_RESULT];
        const resume = out[OUT_THREAD];
        if (hostSubtask !== 0 || resume !== 0) {
          // A host callee stops being waited for; a guest callee takes the cancellation
          // now (its callback runs with TASK_CANCELLED). Then the cancel finishes.
          if (hostSubtask !== 0) d.abortHostSubtask(hostSubtask);
          else d.resumeNow(resume, state);
          r = d.store.subtaskCancelFinish(thread, async, i);
        }
        d.scheduleDrain();
        // A sync cancel waits for the callee to resolve; an async one returns BLOCKED.
        if (r === BLOCKED && !async) {
          d.block(thread, op, (resume) => resume.result);
          return 0;
        }
        return r;
      };
      return async ? guarded(attempt) : driver().blockingBuiltin(guarded(attempt), ['i32'], 'i32');
    }
    // 🧵 Cooperative threads: stacks of their own (JSPI), scheduled by the engine.
    case 'thread.new-indirect': {
      let table = null;
      return guarded((fi, c) => {
        const d = driver();
        const thread = d.currentThread(op, state);
        table ??= runtime.resolveCore(builtin.table);
        fi >>>= 0;
        if (fi >= table.length) trap('table index out of bounds');
        const fn = table.get(fi);
        if (fn === null) trap('uninitialized element');
        // The spec's trap_if(f.t != ft); JS sees only the parameter count of a funcref.
        if (fn.length !== 1) trap('indirect call type mismatch');
        const index = d.store.threadNewIndirect(thread);
        d.newThread(d.view.out[OUT_THREAD], state, fn, c);
        return index;
      });
    }
    case 'thread.resume-later':
      return guarded((i) => {
        const d = driver();
        d.store.threadResumeLater(d.currentThread(op, state), i >>> 0);
        d.scheduleDrain();
      });
    case 'thread.suspend': {
      const cancellable = !!builtin.cancellable;
      return driver().blockingBuiltin(guarded(() => {
        const d = driver();
        const thread = d.currentThread(op, state);
        const r = d.store.threadSuspend(thread, cancellable);
        if (r !== BLOCKED) return r;
        d.block(thread, op, (resume) => resume.cancelled ?? 0);
        return 0;
      }), [], 'i32');
    }
    case 'thread.suspend-then-resume':
    case 'thread.yield-then-resume':
    case 'thread.suspend-then-promote':
    case 'thread.yield-then-promote': {
      const cancellable = !!builtin.cancellable;
      const yielding = op.startsWith('thread.yield');
      const promote = op.endsWith('promote');
      return driver().blockingBuiltin(guarded((i) => {
        const d = driver();
        const thread = d.currentThread(op, state);
        const r = d.store.threadSwitch(thread, cancellable, i >>> 0, yielding, promote);
        if (r >= 0) return r;
        if (r === SWITCHED) {
          const value = d.switchTo(thread, d.view.out[OUT_THREAD]);
          if (value !== undefined) return value;
        }
        d.block(thread, op, (resume) => resume.cancelled ?? 0, { yielding });
        return 0;
      }), ['i32'], 'i32');
    }
    case 'thread.index':
      return guarded(() => {
        const d = driver();
        return d.store.threadIndex(d.currentThread(op, state));
      });
    case 'subtask.drop':
      return guarded((i) => {
        const d = driver();
        d.store.subtaskDrop(d.currentThread(op, state), i >>> 0);
      });
    case 'thread.yield': {
      const cancellable = !!builtin.cancellable;
      return driver().blockingBuiltin(guarded(() => {
        const d = driver();
        const thread = d.currentThread(op, state);
        // A sync task has nothing it may yield to: the engine says carry on (0).
        const r = d.store.threadYield(thread, cancellable);
        if (r === BLOCKED) {
          d.block(thread, op, (resume) => resume.result, { yielding: true });
          return 0;
        }
        return r;
      }), [], 'i32');
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
      return makeStreamBuiltin(runtime, builtin, state, guarded);
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
  // Whether a lifted function's result type is this built-in's, per function (a type
  // comparison on every return would cost more than the rest of the call).
  const matches = new Map();
  const typeMatchesOf = (fn) => {
    let m = matches.get(fn);
    if (m === undefined) matches.set(fn, (m = shape(fn.sig.funcType.result) === resultShape));
    return m;
  };
  return (...flat) => {
    if (!state.mayLeave) trap('cannot leave component instance');
    const d = runtime.async;
    const thread = d.currentThread('task.return', state);
    // Only the implicit thread of a task the driver runs can return; anything else (a
    // sync task) is the engine's trap to name.
    const call = d.callOf(thread);
    const lift = call?.fn.lifted;
    const typeMatches = !call || typeMatchesOf(call.fn);
    // The memories must be the same one only where lifting the result reads memory: the
    // spec's suite (async/cross-abi-calls.wast) returns memory-free results with a
    // `task.return` without `memory` from lifts that have one for their parameters.
    const optionsMatch = !call || (lift.options.stringEncoding === builtin.options.stringEncoding &&
      (!lifter.readsMemory || memoryOf(lift.options) === memoryOf(builtin.options)));
    d.store.taskReturn(thread, typeMatches, optionsMatch);
    call.caller.returned(lifter.lift(flat, call.caller.isGuest));
  };
}
