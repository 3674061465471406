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

  // Whether the host still waits for this call: while it does, a task that only yields
  // keeps a Node process alive (driver.continueAfterHostTurn). A host that aborted the
  // call no longer waits, even if the guest goes on.
  waitingHost() {
    return !this.settled && !this.signal?.aborted;
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

// A host import's Promise that an async-lowered call is waiting for, and the AbortSignal
// the host function was offered for it (made only if the host reads it).
export class HostSubtask {
  constructor(subtask, returned, describeCallee, controller) {
    this.subtask = subtask;
    this.returned = returned;              // stores the answer into the guest
    this.describeCallee = describeCallee;  // for the error when it rejects
    this.controller = controller;          // { controller: AbortController | null }
    this.done = false;
  }

  /** The guest no longer waits (it cancelled, or its instance trapped): tell the host. */
  abort(reason) {
    this.controller.controller?.abort(reason);
  }
}

/**
 * The options object an async host import gets after its arguments: `{ signal }`, the
 * AbortSignal that aborts when the guest cancels the call or its instance traps. The
 * AbortController is made only when the host reads `signal` (it costs about as much as the
 * rest of a host round trip), into `holder.controller`.
 */
export function hostCallOptions(holder) {
  return {
    get signal() {
      return (holder.controller ??= new AbortController()).signal;
    },
  };
}
