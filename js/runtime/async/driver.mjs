// The JS half of the async engine (docs/async-design.md: the engine decides, JS acts).
// One driver per instantiation, made on first use. It is the only caller of guest code
// for tasks: it starts calls of lifted functions as engine tasks (from the host, or from
// a guest through canon lower), calls their core functions and callbacks, hands what they
// return to the engine, settles the host's Promises when the engine says a task resolved,
// and drains the engine's ready queue in a microtask after every step that may have made a
// thread ready (at once where the step is itself a host Promise's reaction). No timers.
//
// One exception to "drain in a microtask": a thread resumed from YIELD (callback code 1)
// ends the drain, and the rest continues in a macrotask (host-yield.mjs). A task that
// yields in a loop would otherwise run forever inside one microtask and starve the host's
// event loop (the spec lets a yield wait for anything; it must let the host run).
//
// Guest stacks that must wait (a stackful lift in waitable-set.wait, a sync lower of an
// async callee, a sync stream op, a 🧵 thread that suspends) are suspended with JSPI where
// the engine has it (jspi.mjs), else unwound and rewound by Asyncify where the component's
// core modules were rewritten for it (asyncify.mjs); the stacks are TaskCall and ThreadRun
// (task-calls.mjs). Where neither is possible, such a wait fails naming JSPI.
//
// A trap anywhere in a task rejects the Promise of every pending host call of the
// instantiation with the ComponentTrap and locks it down (decisions.md 5).
import { ComponentTrap, trap, trapMadeSince, trapMark } from '../../errors.mjs';
import { CallContext } from '../call-context.mjs';
import { guestTrap } from '../guest-trap.mjs';
import { STACK_TRAPPED, enter, entryChain, leave, refuseIfTrapped, refusal } from '../instance-state.mjs';
import {
  EngineView, OUT_CANCELLED, OUT_EVENT, OUT_KIND, OUT_P1, OUT_P2, OUT_RESULT, OUT_TASK, OUT_THREAD,
  OUTCOME_RETURNED, RESUME_CALLBACK, RESUME_STACK, RESUME_START,
} from './engine-view.mjs';
import { afterHostTurn } from './host-yield.mjs';
import { blockable, hasJspi, jspiMissing, mayNeedSuspension, stackEntry } from './jspi.mjs';
import { unwindTrapHint } from './asyncify.mjs';
import { unwatchForDeadlock, watchForDeadlock } from './deadlock.mjs';
import { splitCallSignal } from './call-options.mjs';
import { GuestCaller, HostCaller, HostSubtask, hostCallOptions } from './callers.mjs';
import { TaskCall, ThreadRun } from './task-calls.mjs';

// SubtaskState (abi/async/events.h), from the engine.
import { SUBTASK_CANCELLED_BEFORE_RETURNED, SUBTASK_RETURNED } from '../../engine/abi-numbers.mjs';

// What scheduleDrain hangs its microtask on.
const SETTLED = Promise.resolve();

const DEADLOCK = 'deadlock detected: event loop cannot make further progress';


// The entries of a task's core function and callback under WebAssembly.promising. (With
// Asyncify, the core function itself is the entry.)
const coreEntry = (driver, fn) => (driver.asyncify ? fn.core : (fn.coreEntry ??= stackEntry(fn.core, fn.sig.coreParamTypes,
  fn.sig.coreResultType, (code) => driver.stackDone(code))));
const threadEntries = new WeakMap();
const threadEntry = (driver, fn) => {
  if (driver.asyncify) return fn;
  let entry = threadEntries.get(fn);
  if (!entry) threadEntries.set(fn, (entry = stackEntry(fn, ['i32'], null, (code) => driver.stackDone(code))));
  return entry;
};
const callbackEntry = (driver, fn) => (driver.asyncify ? fn.callback : (fn.callbackEntry ??= stackEntry(fn.callback, ['i32', 'i32', 'i32'], 'i32',
  (code) => driver.stackDone(code))));

// What a blocked import returns while its stack unwinds (ignored: the caller unwinds too).
const UNWINDING_RESULT = { i32: 0, i64: 0n, f32: 0, f64: 0 };

// f(...flat) without the spread for the usual few arguments (a spread call costs more).
function callCore(f, flat) {
  switch (flat.length) {
    case 0: return f();
    case 1: return f(flat[0]);
    case 2: return f(flat[0], flat[1]);
    case 3: return f(flat[0], flat[1], flat[2]);
    default: return f(...flat);
  }
}

// A trap while a stack unwinds most likely means its buffer was too small: say so.
function withUnwindHint(e) {
  if (e instanceof WebAssembly.RuntimeError) return new WebAssembly.RuntimeError(`${e.message} ${unwindTrapHint()}`, { cause: e });
  return e;
}

/** What callSyncLowered returns when the caller's stack suspended (see jspi.mjs). */
export const SUSPENDED = Symbol('suspended');

export class AsyncDriver {
  constructor(runtime) {
    this.runtime = runtime;
    this.store = runtime.resources.store;
    this.view = new EngineView(runtime.engine, this.store);
    this.lockdown = runtime.lockdown;
    this.calls = new Map();     // task id -> TaskCall (tasks the driver runs)
    // The engine threads whose guest code is on the JS stack, innermost last (the spec's
    // current_thread()), and beside each its TaskCall (null: a sync or start-time task).
    this.current = [];
    this.currentCalls = [];
    // Host operations a waiting guest may still hear from (host import Promises, host
    // stream ends): while there are any, an idle engine is not a deadlock.
    this.hostPending = 0;
    this.reasonPromise = null;  // stackTrapReason()
    this.reasonArrived = null;
    this.watched = false;       // registered with deadlock.mjs
    this.hostSubtasks = new Map();  // subtask id -> HostSubtask
    this.startTasks = new Map();    // component instance -> { task, thread } while instantiating
    this.threadRuns = new Map();    // 🧵 thread id -> ThreadRun
    this.switchedBack = new Set();  // threads below on the JS stack that another switched to
    // Stacks may suspend when something here may block: with JSPI where the engine has it
    // (jspi.mjs), else with Asyncify where the core modules were rewritten (asyncify.mjs);
    // otherwise a built-in that must block fails naming JSPI.
    const mayBlock = mayNeedSuspension(runtime.plan) || runtime.suspends !== null;
    this.asyncify = mayBlock ? runtime.asyncify ?? null : null;
    this.jspi = mayBlock && this.asyncify === null && hasJspi();
    this.canSuspend = this.jspi || this.asyncify !== null;
    this.blocked = this.canSuspend ? new WebAssembly.Global({ value: 'i32', mutable: true }, 0) : null;
    this.rewinding = null;       // the stack Asyncify is rewinding
    this.wait = () => this.suspendCurrent();
    this.resumed = (ticket) => this.resumeSuspended(ticket);
    this.suspended = new Map();  // ticket (thread id) -> TaskCall whose stack is suspended
    this.drainQueued = false;
    this.turnQueued = false;
    this.drain = this.drain.bind(this);
    this.drainAfterTurn = () => {
      this.turnQueued = false;
      this.drain();
    };
  }

  /**
   * The stack innermost on the JS stack: a TaskCall (its implicit thread), a ThreadRun (a
   * 🧵 thread of a task), or null (a sync or start-time task, which cannot suspend).
   */
  currentStack() {
    return this.currentCalls[this.currentCalls.length - 1] ?? null;
  }

  /** The TaskCall whose guest code is innermost on the stack (null: a sync task). */
  currentCall() {
    return this.currentStack()?.call ?? null;
  }

  /** The TaskCall of `thread` if it is the current thread's (built-ins ask for their own). */
  callOf(thread) {
    return this.current[this.current.length - 1] === thread ? this.currentCall() : null;
  }

  /** The stack of `thread` if it is the current one. */
  stackOf(thread) {
    return this.current[this.current.length - 1] === thread ? this.currentStack() : null;
  }

  /**
   * The thread calling built-in `op` of component instance `state`. While the component
   * is being instantiated, core start functions run in a synchronous task of their
   * component instance (so they may make waitable sets, and may not block).
   */
  currentThread(op, state) {
    const thread = this.current[this.current.length - 1];
    if (thread !== undefined) return thread;
    if (this.runtime.instantiating && state) return this.startThread(state);
    trap(`\`${op}\` called outside of a task`);
  }

  startThread(state) {
    let start = this.startTasks.get(state.index);
    if (!start) {
      const task = this.store.startTask(state.index, false, false, false, 0);
      start = { task, thread: this.view.out[OUT_THREAD] };
      this.startTasks.set(state.index, start);
    }
    return start.thread;
  }

  /** Instantiation is over: the start-time tasks return. */
  endStartTasks() {
    for (const { task } of this.startTasks.values()) {
      this.store.onSyncReturn(task);
      this.store.onCoreExit(task);
    }
    this.startTasks.clear();
    this.afterStep();
  }

  // ---- starting tasks ------------------------------------------------------------------

  /**
   * A host call of an async-typed or async-lifted function: a Promise of its result. One
   * argument more than the function has, `{ signal }`, cancels the call when the
   * AbortSignal aborts (call-options.mjs).
   */
  callFromHost(fn, args) {
    let caller;
    try {
      // A dead instance is refused before any argument is read.
      // A stack trapped and its reason is a microtask away: this call is refused with it.
      if (this.lockdown.reason === STACK_TRAPPED) return this.stackTrapReason().then((t) => trap(refusal(t.message)));
      refuseIfTrapped(this.lockdown);
      const signal = splitCallSignal(fn, args);
      fn.sig.checkArgs(args);
      if (signal?.aborted) throw signal.reason;
      caller = new HostCaller(fn, signal);
      const call = new TaskCall(fn, args, caller);
      this.begin(call, 0, fn.hostChain);
      // Only a call still waiting can be part of a deadlock. (Most calls return at once;
      // watching and forgetting them each time cost a tenth of such a call.)
      if (!caller.settled && !this.watched) watchForDeadlock(this);
      // The task may have resolved on the spot; otherwise an abort requests cancellation
      // (the spec's OnCancel from the host): a task still at the backpressure gate ends at
      // once, a started one gets TASK_CANCELLED when it next waits cancellably. An abort
      // from inside an import the guest called finds the task's instance on the stack:
      // the spec's may_enter_from fails, and the cancellation stays pending until the
      // task next waits.
      if (signal && !caller.settled) {
        caller.onAbort = () => {
          if (caller.settled || this.lockdown.reason !== null) return;
          this.store.cancelTask(call.task, fn.hostChain.every((s) => s.mayEnter));
          this.afterStep();
        };
        signal.addEventListener('abort', caller.onAbort, { once: true });
      }
      // The task's activation settled what it resolved; only a waiting thread needs a drain.
      if (this.view.hasWaiting()) this.scheduleDrain();
    } catch (e) {
      return Promise.reject(e);
    }
    return caller.promise();
  }

  /**
   * An async lower's callee (canon lower with `async`): a task whose caller is guest
   * subtask `subtask`; `liftArgs()` lifts the arguments from the caller when the task
   * starts, `returned(value)` stores the result into the caller.
   */
  startSubtask(fn, subtask, chain, liftArgs, returned) {
    const call = new TaskCall(fn, liftArgs, new GuestCaller(returned));
    this.begin(call, subtask, chain);
    this.scheduleDrain();
    return call;
  }

  /**
   * A sync lower of an async-typed or async-lifted function of another component: runs the
   * callee until it returns; if it would have to wait first, the caller's stack blocks.
   */
  callSyncLowered(fn, callerState, args) {
    const thread = this.currentThread('a call', callerState);
    // An async function may block: a sync task may not call it synchronously at all
    // (Wasmtime's rule, async/trap-if-block-and-sync.wast), whatever the callee would do.
    this.store.checkMayBlock(thread);
    const subtask = this.store.lowerStart(thread, false);
    const caller = new GuestCaller(null);
    this.begin(new TaskCall(fn, args, caller), subtask, entryChain(fn.state, callerState));
    this.scheduleDrain();
    if (this.store.lowerFinish(subtask) !== -1) return caller.value;
    // The callee has not returned: the caller's stack waits for it (JSPI).
    this.block(thread, 'a synchronous call of an async function', () => caller.value);
    return SUSPENDED;
  }

  begin(call, callerSubtask, chain) {
    const fn = call.fn;
    const options = fn.lifted.options;
    call.subtask = callerSubtask;
    call.task = this.store.startTask(fn.state.index, fn.mayBlock, !!options.async, !!options.callback, callerSubtask);
    const out = this.view.out;
    call.thread = out[OUT_THREAD];
    const started = out[OUT_RESULT] === 1;
    this.calls.set(call.task, call);
    if (started) this.start(call, chain);
  }

  // The task got past backpressure: lower its arguments and run its core function.
  start(call, chain) {
    const fn = call.fn;
    // The call's context; a sync lift's result lifted for another guest keeps strings and
    // ends in guest form.
    const ctx = (call.ctx = fn.scalarCtx ?? new CallContext(fn.opts, call.caller.isGuest));
    // Handles in the arguments need the engine's scope: borrows count in the task, handles
    // lifted from a guest caller are lent for its subtask.
    const scope = fn.sig.hasHandles ? this.store.beginTaskScope(call.task, call.subtask) : -1;
    const lowerArgs = () => {
      const args = typeof call.args === 'function' ? call.args(scope) : call.args;
      call.args = null;
      ctx.call = scope;
      return fn.sig.lowerArgs(ctx, args);
    };
    try {
      this.run(call, chain, lowerArgs);
    } finally {
      if (scope !== -1) {
        // A stack that suspended finishes outside the scope (stackDone).
        ctx.call = -1;
        this.store.endTaskScope(scope);
      }
    }
  }

  run(call, chain, lowerArgs) {
    const fn = call.fn;
    switch (fn.liftKind) {
      case 'callback':
        if (this.canSuspend) this.runStack(call, chain, coreEntry(this, fn), lowerArgs);
        else this.activate(call, chain, () => callCore(fn.core, lowerArgs()));
        break;
      case 'stackful':
        if (this.canSuspend) {
          this.runStack(call, chain, coreEntry(this, fn), lowerArgs);
        } else {
          this.activate(call, chain, () => {
            fn.core(...lowerArgs());
            return -1;
          });
        }
        break;
      default:
        // A sync lift of an async-typed function, or a sync lift called by an async lower.
        if (this.canSuspend && fn.mayBlock) {
          this.runStack(call, chain, coreEntry(this, fn), lowerArgs);
          break;
        }
        this.activate(call, chain, () => {
          fn.runSync(call.ctx, lowerArgs(), (value) => this.syncReturned(call, value));
          return -1;
        });
    }
  }

  // Runs one stretch of the task's guest code (core function or callback) with its thread
  // current, then tells the engine what it returned: a callback code, or -1 when the
  // implicit thread's core function finished (sync and stackful lifts).
  activate(call, chain, body) {
    const fn = call.fn;
    const runtime = this.runtime;
    const nested = this.current.length > 0;
    try {
      enter(chain);
      this.current.push(call.thread);
      this.currentCalls.push(call);
      if (runtime.usesContext) runtime.context.enter(call.context ??= [0, 0]);
      let code;
      try {
        code = body();
      } finally {
        if (runtime.usesContext) runtime.context.pop();
        this.current.pop();
        this.currentCalls.pop();
        leave(chain);
      }
      this.coreReturned(call, code);
    } catch (e) {
      const t = this.trapped(e, nested);
      // Guest code below on the stack (the caller of a lowered function) unwinds too.
      if (nested) throw t;
    }
  }

  // A sync lift's task returned `value` (before its post-return runs).
  syncReturned(call, value) {
    call.caller.returned(value);
    this.store.onSyncReturn(call.task);
  }

  // A task's core function or callback returned: a callback code, or -1 (or nothing) when
  // the implicit thread's core function finished (sync and stackful lifts). Tells the
  // engine, settles what resolved, and forgets the task once its thread exited.
  coreReturned(call, code) {
    let exited = true;
    if (code === -1 || call.fn.liftKind !== 'callback') this.store.onCoreExit(call.task);
    else exited = this.store.onCallbackResult(call.task, code >>> 0) === 1;
    // Settle before forgetting: the resolution names the task.
    this.settle();
    if (exited) {
      this.calls.delete(call.task);
      if (this.calls.size === 0) unwatchForDeadlock(this);
    }
  }

  // ---- stacks that suspend (JSPI; jspi.mjs) ----------------------------------------------

  // A task's core function or callback entered under WebAssembly.promising (`entry`, from
  // jspi.mjs stackEntry). It returns when the guest code finished (`stackDone`), suspended
  // (`suspendCurrent`), or trapped (the Promise rejects, a microtask later).
  runStack(call, chain, entry, args) {
    if (this.asyncify) {
      this.runUnwindableStack(call, chain, entry, args);
      return;
    }
    const nested = this.current.length > 0;
    this.stackOn(call, chain);
    let promise;
    const mark = trapMark();
    try {
      promise = entry(...args());
    } catch (e) {
      this.stackOff(call);
      const t = this.trapped(e, nested);
      if (nested) throw t;
      return;
    }
    promise.catch((e) => this.trapped(e));
    if (call.onStack) {
      // Neither finished nor suspended: it trapped. Guest code below on the stack unwinds
      // now. A trap the bridge or engine raised is known at once (a caller below, such as
      // a sync export's host caller, hears the real reason); a wasm instruction's trap
      // only reaches the Promise, which brings it a microtask later.
      this.stackOff(call);
      const known = trapMadeSince(mark);
      if (known !== null) {
        const t = this.trapped(known, nested);
        if (nested) throw t;
        return;
      }
      this.lockdown.reason ??= STACK_TRAPPED;
      if (nested) throw new ComponentTrap(STACK_TRAPPED);
    }
  }

  stackOn(call, chain) {
    enter(chain);
    call.chain = chain;
    call.onStack = true;
    this.current.push(call.thread);
    this.currentCalls.push(call);
    if (this.runtime.usesContext) this.runtime.context.enter(call.context ??= [0, 0]);
  }

  stackOff(call) {
    if (this.runtime.usesContext) this.runtime.context.pop();
    this.current.pop();
    this.currentCalls.pop();
    call.onStack = false;
    leave(call.chain);
  }

  // The core function or callback returned `code` (called from its entry trampoline).
  stackDone(code) {
    const call = this.currentStack();
    this.stackOff(call);
    if (call instanceof ThreadRun) {
      // A 🧵 thread's function returned: it leaves its task.
      this.threadRuns.delete(call.thread);
      this.store.threadExit(call.thread);
      this.settle();
      this.scheduleDrain();
      return;
    }
    const fn = call.fn;
    if (fn.liftKind === 'sync') {
      // `code` is the sync lift's core result (it may come after the stack suspended).
      fn.finishSync(call.ctx, code, (value) => this.syncReturned(call, value));
      code = -1;
    }
    this.coreReturned(call, code);
    this.scheduleDrain();
  }

  /**
   * A built-in of `thread` must wait (the engine put the thread in its waiting list, or
   * the host will settle something): suspends the stack if it can, else traps. `finish(r)`
   * computes the built-in's result from the Resume that wakes the thread.
   */
  block(thread, op, finish, { yielding = false } = {}) {
    const call = this.stackOf(thread);
    if (!this.canSuspend) trap(`${op} would block: ${jspiMissing()}`);
    if (!call || !call.onStack) trap(`${op} would block, and only a stackful task's stack can be suspended here`);
    call.finish = finish;
    call.yielding = yielding;
    this.blocked.value = 1;
  }

  // The Suspending import of blocking built-ins: the stack leaves until the driver wakes
  // it with the engine's Resume (or a host Promise settles). The Promise gives the ticket
  // resumeSuspended takes when the stack really runs again.
  suspendCurrent() {
    const call = this.currentStack();
    this.stackOff(call);
    this.suspended.set(call.thread, call);
    return new Promise((resolve) => {
      call.wake = (resume) => {
        call.wake = null;
        call.resume = resume;
        resolve(call.thread);
      };
    });
  }

  // The stack of `ticket` runs again: it re-enters its instances (only now: between the
  // Promise settling and this, other guest code may have run) and its built-in returns.
  resumeSuspended(ticket) {
    const call = this.suspended.get(ticket);
    this.suspended.delete(ticket);
    this.stackOn(call, call.hostChain);
    const { finish, resume } = call;
    call.finish = null;
    call.resume = null;
    return finish(resume);
  }

  /**
   * The core function of a built-in that may block (jspi.mjs blockable): `attempt` as it
   * is where no stack can suspend, else wrapped so that `block()` suspends the caller.
   */
  blockingBuiltin(attempt, params, result) {
    if (this.asyncify) return this.unwindingBuiltin(attempt, result);
    return this.jspi ? blockable(attempt, this.wait, this.resumed, this.blocked, params, result) : attempt;
  }

  // ---- stacks that unwind (Asyncify; asyncify.mjs) ---------------------------------------

  // As runStack, with `core` (a core function of a rewritten module) as the entry: it
  // returns when the guest code finished, or unwound because it must wait.
  runUnwindableStack(call, chain, core, args) {
    const nested = this.current.length > 0;
    this.stackOn(call, chain);
    let flat;
    try {
      flat = args();
    } catch (e) {
      this.stackOff(call);
      const t = this.trapped(e, nested);
      if (nested) throw t;
      return;
    }
    call.reenter = () => callCore(core, flat);
    this.runUnwindable(call, nested);
  }

  // Runs (or rewinds) the stack's core function once.
  runUnwindable(call, nested) {
    const asyncify = this.asyncify;
    let code;
    try {
      code = call.reenter();
    } catch (e) {
      const unwinding = asyncify.abandon(call);
      this.rewinding = null;
      if (call.onStack) this.stackOff(call);
      const t = this.trapped(unwinding ? withUnwindHint(e) : e, nested);
      if (nested) throw t;
      return;
    }
    if (asyncify.unwinding) {
      asyncify.stopUnwind();
      this.parkUnwound(call);
      return;
    }
    call.reenter = null;
    this.stackDone(code);
  }

  // The stack unwound to its entry: it waits until the engine (or a host Promise) wakes it,
  // then rewinds in a microtask, as a JSPI stack resumes when its wait's Promise settles.
  parkUnwound(call) {
    this.stackOff(call);
    this.suspended.set(call.thread, call);
    call.wake = (resume) => {
      call.wake = null;
      call.resume = resume;
      SETTLED.then(() => {
        if (this.lockdown.reason !== null) return;
        this.rewinding = call;
        this.asyncify.startRewind(call);
        this.runUnwindable(call, false);
      });
    };
  }

  // The core function of a blocking built-in in a rewritten module: `attempt` runs it; when
  // it must wait (block()), the stack unwinds from here. Rewinding calls it again: then it
  // returns what the wait brought (resumeSuspended).
  unwindingBuiltin(attempt, result) {
    const asyncify = this.asyncify;
    const unwound = result === null ? undefined : UNWINDING_RESULT[result];
    return (...args) => {
      if (asyncify.rewinding) {
        const call = this.rewinding;
        this.rewinding = null;
        asyncify.stopRewind(call);
        return this.resumeSuspended(call.thread);
      }
      const value = attempt(...args);
      if (this.blocked.value === 0) return value;
      this.blocked.value = 0;
      asyncify.startUnwind(this.currentStack());
      return unwound;
    };
  }

  /** A stack waits for a host Promise the engine knows nothing of (a sync lower of an async host import). */
  blockOnPromise(thread, op, promise, finish) {
    this.store.checkMayBlock(thread);
    this.block(thread, op, finish);
    const call = this.stackOf(thread);
    this.hostPending++;
    Promise.resolve(promise).then(
      (value) => { this.hostPending--; call.wake?.({ value }); },
      (error) => { this.hostPending--; call.wake?.({ error }); },
    );
  }

  // ---- sync tasks (canon-lift.mjs LiftedFunction.invoke) --------------------------------

  /** A sync-lifted call from the host or a sync lower starts: its engine task's thread. */
  enterSyncTask(fn) {
    const options = fn.lifted.options;
    return this.pushSyncTask(fn.state.index, !!options.async, !!options.callback);
  }

  // A sync task of instance `index` whose thread is current from now on; returns the task.
  pushSyncTask(index, async_, callback) {
    const task = this.store.startTask(index, false, async_, callback, 0);
    this.current.push(this.view.out[OUT_THREAD]);
    this.currentCalls.push(null);
    return task;
  }

  /** Runs `body` (guest code of instance `state` that is no lifted call) in a sync task. */
  inSyncTask(state, body) {
    const task = this.pushSyncTask(state.index, false, false);
    let finished = false;
    try {
      body();
      this.store.onSyncReturn(task);
      finished = true;
    } finally {
      this.exitSyncTask(task, finished);
    }
  }

  exitSyncTask(task, finished) {
    this.current.pop();
    this.currentCalls.pop();
    if (!finished) return;  // a trap: the instantiation is locked down
    this.store.onCoreExit(task);
    this.afterStep();
  }

  // ---- host callees of async lowers ------------------------------------------------------

  /**
   * Calls host function `host` for guest subtask `subtask`. A value (or a throw) resolves
   * the subtask on the spot; a Promise leaves it STARTED until the Promise settles.
   */
  // `signalled`: the host function takes { signal } after its arguments (async-lower.mjs).
  callHostAsync(host, subtask, liftArgs, returned, describeCallee, hasHandles, signalled) {
    const store = this.store;
    let args;
    if (hasHandles) {
      const scope = store.beginTaskScope(0, subtask);
      try {
        args = liftArgs(scope);
      } finally {
        store.endTaskScope(scope);
      }
    } else {
      args = liftArgs(-1);
    }
    store.subtaskOnStart(subtask);
    // One argument more than the function has: { signal } (callers.mjs hostCallOptions).
    const holder = { controller: null };
    if (signalled) args.push(hostCallOptions(holder));
    const value = host(args);
    if (value === null || typeof value?.then !== 'function') {
      returned(value);
      store.subtaskOnResolve(subtask, SUBTASK_RETURNED);
      return;
    }
    const pending = new HostSubtask(subtask, returned, describeCallee, holder);
    this.hostSubtasks.set(subtask, pending);
    this.hostPending++;
    Promise.resolve(value).then((v) => this.hostAnswered(pending, true, v), (e) => this.hostAnswered(pending, false, e));
  }

  // A host import's Promise settled: fulfilled (`ok`) with `value`, or rejected with it.
  hostAnswered(pending, ok, value) {
    if (pending.done) return;
    pending.done = true;
    const subtask = pending.subtask;
    this.hostSubtasks.delete(subtask);
    this.hostPending--;
    if (this.lockdown.reason !== null) return;
    try {
      if (!ok) {
        throw new ComponentTrap(`host error: the async import ${pending.describeCallee} rejected: ${value?.message ?? String(value)}`, { cause: value });
      }
      pending.returned(value);
      // (A subtask's answer resolves no task by itself: only guest code run by the drain
      // can, and the drain settles what it resolves.)
      this.store.subtaskOnResolve(subtask, SUBTASK_RETURNED);
      // A Promise reaction runs with no guest code on the stack: the guest waiting for
      // this answer runs now rather than one more microtask later.
      if (this.current.length === 0) this.drain();
      else if (this.view.hasWaiting()) this.scheduleDrain();
    } catch (e) {
      this.trapped(e);
    }
  }

  /** subtask.cancel of a pending host call: the guest stops waiting for it. */
  abortHostSubtask(subtask) {
    const pending = this.hostSubtasks.get(subtask);
    if (!pending) return;
    pending.done = true;
    this.hostSubtasks.delete(subtask);
    this.hostPending--;
    this.store.subtaskOnResolve(subtask, SUBTASK_CANCELLED_BEFORE_RETURNED);
    pending.abort(new DOMException(`the guest cancelled its call of ${pending.describeCallee}`, 'AbortError'));
  }

  // ---- the event loop ------------------------------------------------------------------

  // A trap: lock the instantiation down and reject every pending host call. Returns the
  // ComponentTrap.
  // `rethrown`: the caller throws the trap on to guest or host code below on the stack,
  // which hears of it that way.
  trapped(error, rethrown = false) {
    // A suspendable stack trapped: its reason arrives a microtask later, by its Promise;
    // the calls are rejected with that one.
    if (error instanceof ComponentTrap && error.message === STACK_TRAPPED) {
      this.lockdown.reason ??= STACK_TRAPPED;
      return error;
    }
    if (this.lockdown.reason === STACK_TRAPPED) this.lockdown.reason = null;
    const first = this.lockdown.reason === null;
    const t = guestTrap(error, this.lockdown);
    this.reasonArrived?.(t);
    this.reasonArrived = null;
    this.reasonPromise = null;
    let heard = rethrown;
    for (const call of this.calls.values()) heard = call.caller.trapped(t) || heard;
    this.calls.clear();
    // The host calls the guests made are of no use now: their signals abort with the trap.
    for (const pending of this.hostSubtasks.values()) {
      pending.done = true;
      this.hostPending--;
      pending.abort(t);
    }
    this.hostSubtasks.clear();
    // Nobody waits for it (the tasks had returned, or it is a thread's or a callback's of
    // a settled call): the instance's onTrap hears of it, once.
    if (!heard && first) this.reportTrap(t);
    return t;
  }

  /**
   * The host disposed of the instance (Runtime.dispose; the lockdown is set): every call
   * in flight rejects with `error`, the host calls the guests made are aborted, and nothing
   * here touches the engine again. Unlike a trap, nobody is told through onTrap.
   */
  disposed(error) {
    for (const call of this.calls.values()) {
      call.wake = null;
      call.caller.trapped(error);
    }
    this.calls.clear();
    for (const pending of this.hostSubtasks.values()) {
      pending.done = true;
      pending.abort(error);
    }
    this.hostSubtasks.clear();
    this.hostPending = 0;
    unwatchForDeadlock(this);
  }

  // The trap a stack's Promise will bring, while the lockdown reason is STACK_TRAPPED.
  stackTrapReason() {
    return (this.reasonPromise ??= new Promise((resolve) => { this.reasonArrived = resolve; }));
  }

  reportTrap(t) {
    try {
      this.runtime.onTrap(t);
    } catch (e) {
      queueMicrotask(() => { throw e; });  // the listener's own error, reported as uncaught
    }
  }

  afterStep() {
    this.settle();
    // Only a waiting thread can become ready.
    if (this.view.hasWaiting()) this.scheduleDrain();
  }

  scheduleDrain() {
    if (this.drainQueued) return;
    this.drainQueued = true;
    // A reaction on a settled Promise, not queueMicrotask: Node wraps each queueMicrotask
    // callback in an AsyncResource, which costs more than the rest of a host round trip.
    SETTLED.then(this.drain);
  }

  // Resumes every ready thread until none is ready.
  drain() {
    this.drainQueued = false;
    const store = this.store;
    try {
      while (this.lockdown.reason === null && store.nextReady()) {
        const yielded = this.resume(null);
        this.settle();
        if (yielded) {
          this.continueAfterHostTurn();
          return;
        }
      }
    } catch (e) {
      this.trapped(e);
    }
  }

  /**
   * Runs thread `thread` now, from inside a built-in of instance `callerState` (the spec's
   * thread.resume: subtask.cancel delivering a cancellation).
   */
  resumeNow(thread, callerState) {
    this.store.resumeThread(thread);
    this.resume(callerState);
    this.settle();
  }

  // Carries out the Resume the engine left in the out slots. Returns whether the thread
  // was resumed from a yield.
  resume(callerState) {
    const out = this.view.out;
    const kind = out[OUT_KIND];
    const run = this.threadRuns.get(out[OUT_THREAD]);
    if (run) return this.resumeThreadRun(run, out);
    const call = this.calls.get(out[OUT_TASK]);
    if (!call) throw new ComponentTrap('internal error: the engine resumed a task the driver does not know');
    const chain = callerState ? entryChain(call.fn.state, callerState) : call.fn.hostChain;
    if (kind === RESUME_START) {
      this.start(call, chain);
      return false;
    }
    if (kind === RESUME_CALLBACK) {
      const event = out[OUT_EVENT];
      const p1 = out[OUT_P1];
      const p2 = out[OUT_P2];
      // Only a yield resumes a callback with NONE (a WAIT's set has an event).
      const yielded = event === 0 && out[OUT_CANCELLED] === 0;
      if (this.canSuspend) this.runStack(call, chain, callbackEntry(this, call.fn), () => [event, p1, p2]);
      else this.activate(call, chain, () => call.fn.callback(event, p1, p2));
      return yielded;
    }
    if (kind === RESUME_STACK && call.wake) {
      // A suspended stack: it resumes in a microtask, when its wait's Promise settles.
      call.wake({
        result: out[OUT_RESULT], event: out[OUT_EVENT], p1: out[OUT_P1], p2: out[OUT_P2], cancelled: out[OUT_CANCELLED],
      });
      return call.yielding;
    }
    throw new ComponentTrap(`internal error: the engine resumed a stack that is not suspended (${jspiMissing()})`);
  }

  // ---- 🧵 cooperative threads ------------------------------------------------------------

  /** thread.new-indirect made thread `thread` of the current task, to run fn(arg). */
  newThread(thread, state, fn, arg) {
    this.threadRuns.set(thread, new ThreadRun(this.currentCall(), state, thread, fn, arg));
  }

  // A thread the engine made running (next_ready, or a switch): start its stack or wake it.
  resumeThreadRun(run, out) {
    if (!run.started) {
      this.startThreadRun(run);
      return false;
    }
    if (run.wake) {
      run.wake({ result: out[OUT_RESULT], cancelled: out[OUT_CANCELLED] });
      return run.yielding;
    }
    throw new ComponentTrap('internal error: the engine resumed a thread that is not suspended');
  }

  startThreadRun(run) {
    run.started = true;
    // Nested under a thread of the same instance (a switch), the instance is entered.
    const chain = this.current.length > 0 ? [] : run.hostChain;
    if (this.canSuspend) {
      run.entry ??= threadEntry(this, run.fn);
      this.runStack(run, chain, run.entry, () => [run.arg]);
      return;
    }
    // Without JSPI a thread runs to its end on the JS stack (blocking in it fails).
    const nested = this.current.length > 0;
    this.stackOn(run, chain);
    try {
      run.fn(run.arg);
    } catch (e) {
      this.stackOff(run);
      const t = this.trapped(e, nested);
      if (nested) throw t;
      return;
    }
    this.stackDone(0);
  }

  /**
   * A switch (thread.*-then-resume/promote) made thread `target` running while the
   * current thread `thread` suspends or yields. Returns the built-in's value if `thread`
   * can go on at once, or undefined when it must wait (then block()).
   */
  switchTo(thread, target) {
    const run = this.threadRuns.get(target);
    if (this.current.includes(target)) {
      // The target is below on the JS stack: it goes on when the stacks above it unwind.
      this.switchedBack.add(target);
    } else if (run && !run.started) {
      this.startThreadRun(run);
    } else if (run?.wake) {
      run.wake({ result: 0, cancelled: 0 });
    } else {
      throw new ComponentTrap(`cannot switch to thread ${target}: its stack cannot be resumed here`);
    }
    if (this.switchedBack.delete(thread)) return 0;
    // The scheduler would pick a thread that is ready at once (a yield) next.
    if (this.store.threadReady(thread)) {
      this.store.resumeThread(thread);
      return this.view.out[OUT_RESULT];
    }
    return undefined;
  }

  // ---- deadlock (deadlock.mjs) ---------------------------------------------------------

  hasHostCalls() {
    if (this.lockdown.reason !== null) return false;
    for (const call of this.calls.values()) if (call.caller.waitingHost()) return true;
    return false;
  }

  /** Nothing is ready or queued to run, no host operation is pending, a task waits. */
  deadlocked() {
    if (this.drainQueued || this.turnQueued || this.hostPending > 0) return false;
    return this.view.hasWaiting() && !this.store.anyReady();
  }

  trapDeadlock() {
    this.trapped(new ComponentTrap(DEADLOCK));
  }

  // The drain goes on after the host's event loop had a turn. While no host call is
  // pending, the turn does not keep the process alive (a resolved task may yield forever).
  continueAfterHostTurn() {
    if (this.turnQueued || this.lockdown.reason !== null) return;
    this.turnQueued = true;
    let pending = false;
    for (const call of this.calls.values()) if (call.caller.waitingHost()) pending = true;
    afterHostTurn(this.drainAfterTurn, { keepAlive: pending });
  }

  // Tells the caller of every task the engine resolved.
  settle() {
    const store = this.store;
    if (!this.view.hasResolution()) return;
    // takeResolution: 0 none, 1 the last one, 2 more after it.
    for (let r = store.takeResolution(); r !== 0; r = r === 2 ? store.takeResolution() : 0) {
      const out = this.view.out;
      const call = this.calls.get(out[OUT_TASK]);
      if (call) call.caller.resolved(call, out[OUT_KIND] === OUTCOME_RETURNED);
    }
  }
}
