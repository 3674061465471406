// The JS half of the async engine (docs/async-design.md: the engine decides, JS acts).
// One driver per instantiation, made on first use. It is the only caller of guest code
// for async tasks: it starts host calls of async exports, calls their core functions and
// callbacks, hands what they return to the engine, settles the host's Promises when the
// engine says a task resolved, and drains the engine's ready queue in a microtask after
// every step that may have made a thread ready. No timers.
//
// One exception to "drain in a microtask": a thread resumed from YIELD (callback code 1)
// ends the drain, and the rest continues in a macrotask (host-yield.mjs). A task that
// yields in a loop would otherwise run forever inside one microtask and starve the host's
// event loop (the spec lets a yield wait for anything; it must let the host run).
//
// A trap anywhere in an async task rejects the Promise of every pending host call of the
// instantiation with the ComponentTrap and locks it down (decisions.md 5).
import { ComponentError, ComponentTrap, trap } from '../../errors.mjs';
import { guestTrap } from '../functions.mjs';
import { enter, leave } from '../instance-state.mjs';
import {
  EngineView, OUT_CANCELLED, OUT_EVENT, OUT_KIND, OUT_P1, OUT_P2, OUT_RESULT, OUT_TASK, OUT_THREAD,
  OUTCOME_RETURNED, RESUME_CALLBACK, RESUME_START,
} from './engine-view.mjs';
import { afterHostTurn } from './host-yield.mjs';
import { jspiMissing } from './jspi.mjs';
import { SYNC_TASK } from './sync-task.mjs';

export { SYNC_TASK };

export class AsyncDriver {
  constructor(runtime) {
    this.runtime = runtime;
    this.store = runtime.resources.store;
    this.view = new EngineView(runtime.engine, this.store);
    this.lockdown = runtime.lockdown;
    this.tasks = new Map();     // task id -> HostCall
    this.byThread = new Map();  // implicit thread id -> HostCall
    // The engine threads whose guest code is on the JS stack, innermost last (the spec's
    // current_thread()); SYNC_TASK for a sync-lifted call.
    this.current = [];
    this.drainQueued = false;
    this.turnQueued = false;
    this.drain = this.drain.bind(this);
    this.drainAfterTurn = () => {
      this.turnQueued = false;
      this.drain();
    };
  }

  /** The thread calling built-in `op`; traps when none is (sync tasks: not yet). */
  currentThread(op) {
    const thread = this.current[this.current.length - 1];
    if (thread === undefined || thread === SYNC_TASK) trap(`\`${op}\` called outside of an async task is not supported yet`);
    return thread;
  }

  /** A host call of an async callback-lifted function: a Promise of its result. */
  callFromHost(fn, args) {
    return new Promise((resolve, reject) => {
      fn.sig.checkArgs(args);
      const lockdown = this.lockdown;
      if (lockdown.reason !== null) trap(`cannot enter component instance: it trapped earlier (${lockdown.reason})`);
      const task = this.store.startTask(fn.state.index, fn.sig.funcType.async, true, true);
      const out = this.view.out;
      const call = new HostCall(fn, args, task, out[OUT_THREAD], resolve, reject);
      const started = out[OUT_RESULT] === 1;
      this.tasks.set(task, call);
      this.byThread.set(call.thread, call);
      if (started) this.start(call);
      this.afterStep();
    });
  }

  // The task got past backpressure: lower its arguments and call the core function.
  start(call) {
    const fn = call.fn;
    this.activate(call, () => {
      const flat = fn.sig.lowerArgs(fn.ctx, call.args);
      call.args = null;
      return fn.core(...flat);
    });
  }

  // Runs one stretch of the task's guest code (core function or callback) with its thread
  // current, then tells the engine the packed code it returned.
  activate(call, body) {
    const fn = call.fn;
    const runtime = this.runtime;
    try {
      enter(fn.hostChain);
      this.current.push(call.thread);
      if (runtime.usesContext) runtime.context.enter(call.context);
      let packed;
      try {
        packed = body();
      } finally {
        if (runtime.usesContext) runtime.context.pop();
        this.current.pop();
        leave(fn.hostChain);
      }
      const exited = this.store.onCallbackResult(call.task, packed >>> 0) === 1;
      // Settle before forgetting: the resolution names the task.
      this.settle();
      if (exited) this.forget(call);
    } catch (e) {
      this.trapped(e);
    }
  }

  forget(call) {
    this.tasks.delete(call.task);
    this.byThread.delete(call.thread);
  }

  // A trap: lock the instantiation down and reject every pending host call.
  trapped(error) {
    const t = guestTrap(error, this.lockdown);
    for (const call of this.tasks.values()) call.settle(() => call.reject(t));
    this.tasks.clear();
    this.byThread.clear();
  }

  afterStep() {
    this.settle();
    this.scheduleDrain();
  }

  scheduleDrain() {
    if (this.drainQueued) return;
    this.drainQueued = true;
    queueMicrotask(this.drain);
  }

  // Resumes every ready thread until none is ready.
  drain() {
    this.drainQueued = false;
    const store = this.store;
    try {
      while (this.lockdown.reason === null && store.nextReady()) {
        const out = this.view.out;
        const kind = out[OUT_KIND];
        const call = this.tasks.get(out[OUT_TASK]);
        if (!call) throw new ComponentTrap('internal error: the engine resumed a task the driver does not know');
        if (kind === RESUME_START) {
          this.start(call);
        } else if (kind === RESUME_CALLBACK) {
          const event = out[OUT_EVENT];
          const p1 = out[OUT_P1];
          const p2 = out[OUT_P2];
          // Only a yield resumes a callback with NONE (a WAIT's set has an event).
          const yielded = event === 0 && out[OUT_CANCELLED] === 0;
          this.activate(call, () => call.fn.callback(event, p1, p2));
          if (yielded) {
            this.settle();
            this.continueAfterHostTurn();
            return;
          }
        } else {
          // Only blocking built-ins suspend a stack, and those trap before blocking
          // without JSPI; a Stack resume means a driver bug.
          throw new ComponentTrap(`internal error: a suspended stack cannot be resumed (${jspiMissing()})`);
        }
        this.settle();
      }
    } catch (e) {
      this.trapped(e);
    }
  }

  // The drain goes on after the host's event loop had a turn. While no host call is
  // pending, the turn does not keep the process alive (a resolved task may yield forever).
  continueAfterHostTurn() {
    if (this.turnQueued || this.lockdown.reason !== null) return;
    this.turnQueued = true;
    let pending = false;
    for (const call of this.tasks.values()) if (!call.settled) pending = true;
    afterHostTurn(this.drainAfterTurn, { keepAlive: pending });
  }

  // Settles the host's Promise of every task the engine resolved.
  settle() {
    const store = this.store;
    while (store.takeResolution()) {
      const out = this.view.out;
      if (out[OUT_RESULT] !== 0) continue;  // a guest's subtask (not from here yet)
      const call = this.tasks.get(out[OUT_TASK]);
      if (!call) continue;
      if (out[OUT_KIND] === OUTCOME_RETURNED) {
        const value = call.value;
        if (call.fn.sig.resultType?.kind === 'result') {
          call.settle(() => (value.tag === 'err' ? call.reject(new ComponentError(value.val)) : call.resolve(value.val)));
        } else {
          call.settle(() => call.resolve(value));
        }
      } else {
        call.settle(() => call.reject(Object.assign(new Error('the async call was cancelled'), { name: 'AbortError' })));
      }
    }
  }
}

// One host call of an async export, from start_task until its implicit thread exits
// (a task may go on running after it returned).
class HostCall {
  constructor(fn, args, task, thread, resolve, reject) {
    this.fn = fn;            // LiftedFunction
    this.args = args;        // until lowered
    this.task = task;
    this.thread = thread;    // the implicit thread
    this.resolve = resolve;
    this.reject = reject;
    this.value = undefined;  // what task.return lifted
    this.settled = false;
    this.context = [0, 0];   // context.get/set, kept across callbacks
  }

  settle(how) {
    if (this.settled) return;
    this.settled = true;
    how();
  }
}
