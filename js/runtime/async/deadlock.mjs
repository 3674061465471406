// "deadlock detected: event loop cannot make further progress" (the spec's Store.tick
// finding no ready thread while a call is still pending).
//
// Unlike the spec's embedder, a JS host is never known to be done: while the page or the
// script runs, it may call another export that releases backpressure, resolves a future or
// reads a stream, and a task that waits now makes progress then. So an idle engine alone
// is not a deadlock. It is one when the host can no longer act either:
// - in Node, when the event loop has nothing left to do (`process` 'beforeExit'): every
//   host call still waiting on a task that waits for nothing pending is rejected with the
//   trap, and the instantiation locks down, instead of the process exiting with the
//   Promises unsettled;
// - anywhere, when the host says so by calling `detectDeadlocks()` (the package exports
//   it), e.g. a test harness or a page that knows it will not call in again.
const drivers = new Set();  // drivers with host calls in flight
let hooked = false;

/** Called by a driver when a host call starts. */
export function watchForDeadlock(driver) {
  driver.watched = true;
  drivers.add(driver);
  if (!hooked && typeof globalThis.process?.on === 'function') {
    hooked = true;
    globalThis.process.on('beforeExit', detectDeadlocks);
  }
}

/**
 * Rejects every pending host call whose instantiation cannot make progress without the
 * host: no thread is ready, no host operation (an import's Promise, a host stream) is
 * pending, and a task is waiting. Returns how many instantiations were trapped.
 */
export function detectDeadlocks() {
  let trapped = 0;
  for (const driver of drivers) {
    if (!driver.hasHostCalls()) {
      forget(driver);
      continue;
    }
    if (driver.deadlocked()) {
      driver.trapDeadlock();
      forget(driver);
      trapped++;
    }
  }
  return trapped;
}

function forget(driver) {
  drivers.delete(driver);
  driver.watched = false;
}

/**
 * Called by a driver when it has no call in flight (or was disposed): it is of no
 * concern until its next host call. (Kept here, it would keep its whole instance alive
 * in a page, where nothing calls detectDeadlocks.)
 */
export function unwatchForDeadlock(driver) {
  if (driver.watched) forget(driver);
}
