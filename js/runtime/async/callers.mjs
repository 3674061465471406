// Who waits for a task the driver runs (driver.mjs): the host (a Promise) or a guest
// (through canon lower), and the host Promises guests wait for.
import { ComponentError } from '../../errors.mjs';

// The host awaits the call: its Promise settles when the task resolves.
export class HostCaller {
  constructor(fn, resolve, reject, signal) {
    this.isGuest = false;
    this.isResult = fn.sig.resultType?.kind === 'result';
    this.resolve = resolve;
    this.reject = reject;
    this.signal = signal;    // AbortSignal | undefined
    this.onAbort = null;     // its listener
    this.value = undefined;  // what task.return lifted
    this.settled = false;
  }

  finish() {
    this.settled = true;
    if (this.onAbort) this.signal.removeEventListener('abort', this.onAbort);
  }

  waitingHost() {
    return !this.settled;
  }

  returned(value) {
    this.value = value;
  }

  resolved(call, returned) {
    if (this.settled) return;
    this.finish();
    const value = this.value;
    // Cancelled: the abort's reason, as fetch() and other AbortSignal users reject.
    if (!returned) this.reject(this.signal?.aborted ? this.signal.reason : new DOMException('the async call was cancelled', 'AbortError'));
    else if (this.isResult && value.tag === 'err') this.reject(new ComponentError(value.val));
    else this.resolve(this.isResult ? value.val : value);
  }

  trapped(t) {
    if (this.settled) return;
    this.finish();
    this.reject(t);
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
  constructor(subtask) {
    this.subtask = subtask;
    this.done = false;
  }
}
