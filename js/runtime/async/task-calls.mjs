// The guest stacks the async driver runs (driver.mjs): a task's implicit thread (TaskCall)
// and a 🧵 thread made by thread.new-indirect (ThreadRun). Both are "stacks": guest code
// that is on the JS stack (onStack), or suspended (JSPI) or unwound (Asyncify) waiting to
// be woken.
import { entryChain } from '../instance-state.mjs';

class GuestStack {
  constructor(thread) {
    this.thread = thread;    // the engine's thread id
    this.context = null;     // context.get/set of this thread, kept while it waits (made on first entry)
    // Whether its guest code is on the JS stack now, the instances it entered, and while
    // suspended (JSPI): how to wake it, what its blocked built-in returns, and with what.
    this.onStack = false;
    this.chain = null;
    this.wake = null;
    this.finish = null;
    this.resume = null;
    this.yielding = false;
    // Asyncify (asyncify.mjs): how to enter its core function again, and the buffers that
    // hold it while it is unwound.
    this.reenter = null;
    this.buffers = null;
  }
}

// One call of a lifted function run as an engine task, from start_task until its implicit
// thread exits (a task may go on running after it returned).
export class TaskCall extends GuestStack {
  constructor(fn, args, caller) {
    super(0);
    this.call = this;        // as a stack: the task it belongs to
    this.fn = fn;            // LiftedFunction
    this.args = args;        // JS values, or a function lifting them from the caller; until lowered
    this.caller = caller;    // HostCaller | GuestCaller
    this.task = 0;
    this.subtask = 0;        // the caller's subtask (0: the host called)
    this.ctx = null;         // its CallContext, from when it starts
  }

  get hostChain() {
    return this.fn.hostChain;
  }
}

// 🧵 A thread made by thread.new-indirect: a stack of its own, running `fn(arg)` from the
// task's component's table.
export class ThreadRun extends GuestStack {
  constructor(call, state, thread, fn, arg) {
    super(thread);
    this.call = call;        // the task's TaskCall (null: a sync task's)
    this.state = state;      // InstanceState
    this.fn = fn;            // a wasm function (i32) -> ()
    this.arg = arg;
    this.started = false;
  }

  get hostChain() {
    return entryChain(this.state, null);
  }
}
