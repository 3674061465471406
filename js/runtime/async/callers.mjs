// Who waits for a task the driver runs (driver.mjs): the host (a Promise) or a guest
// (through canon lower), and the host Promises guests wait for.
import { ComponentError } from '../../errors.mjs';

// The host awaits the call: its Promise settles when the task resolves. Most calls resolve
// before the host gets its Promise back (the guest returned at once), so the Promise is made
// only when it is asked for: an already settled one then, or one with resolvers otherwise
// (a Promise executor and its resolving functions per call cost about a tenth of a call).
export class HostCaller {
  constructor(fn, signal) {
    this.isGuest = false;
    this.isResult = fn.sig.resultType?.kind === 'result';
    this.signal = signal;    // AbortSignal | undefined
    this.onAbort = null;     // its listener
    this.value = undefined;  // what task.return lifted
    this.settled = false;
    this.resolve = null;     // the Promise's resolvers, once it was made pending
    this.reject = null;
    this.outcome = null;     // { ok, value } when it settled before the Promise was made
  }

  /** The Promise the host gets. */
  promise() {
    const o = this.outcome;
    if (o !== null) return o.ok ? Promise.resolve(o.value) : Promise.reject(o.value);
    return new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  finish(ok, value) {
    this.settled = true;
    if (this.onAbort) this.signal.removeEventListener('abort', this.onAbort);
    if (this.resolve === null) this.outcome = { ok, value };
    else if (ok) this.resolve(value);
    else this.reject(value);
  }

  waitingHost() {
    return !this.settled;
  }

  returned(value) {
    this.value = value;
  }

  resolved(call, returned) {
    if (this.settled) return;
    const value = this.value;
    // Cancelled: the abort's reason, as fetch() and other AbortSignal users reject.
    if (!returned) this.finish(false, this.signal?.aborted ? this.signal.reason : new DOMException('the async call was cancelled', 'AbortError'));
    else if (this.isResult && value.tag === 'err') this.finish(false, new ComponentError(value.val));
    else this.finish(true, this.isResult ? value.val : value);
  }

  // Returns whether the host heard of the trap (its Promise was still pending).
  trapped(t) {
    if (this.settled) return false;
    this.finish(false, t);
    return true;
  }
}

// A guest called through canon lower: the engine's subtask tells it; the result goes into
// its memory when the callee returns (async lower) or is kept for the lowered function to
// return (sync lower).
export class GuestCaller {
  constructor(store) {
    this.isGuest = true;
    this.store = store;
    this.value = undefined;
  }

  waitingHost() {
    return false;
  }

  returned(value) {
    if (this.store) this.store(value);
    else this.value = value;
  }

  resolved() {}

  trapped() {}
}

// A host import's Promise that an async-lowered call is waiting for.
export class HostSubtask {
  constructor(subtask, returned, describeCallee) {
    this.subtask = subtask;
    this.returned = returned;              // stores the answer into the guest
    this.describeCallee = describeCallee;  // for the error when it rejects
    this.done = false;
  }
}
