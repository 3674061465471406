// What a caller sees when guest code fails: always a ComponentTrap (a
// WebAssembly.RuntimeError). A trap of the wasm engine (`unreachable`, a division by zero)
// becomes one with the same message and the engine's error as its `cause`; any other
// error that escaped while guest code ran (a host import that threw, a stack overflow, a
// bug of ours) becomes one naming it. Either way the instance's lockdown records the first
// reason, and every later call is refused with it (instance-state.mjs).
//
// A leaf module: the call paths (canon-lift.mjs, canon-lower.mjs), the async driver and host streams all
// use it.
import { ComponentTrap } from '../errors.mjs';

/** Turns whatever escaped guest code into the trap the caller sees, locking down. */
export function guestTrap(error, lockdown) {
  let t;
  if (error instanceof ComponentTrap) t = error;
  else if (error instanceof WebAssembly.RuntimeError) t = new ComponentTrap(error.message, { cause: error });
  else {
    t = new ComponentTrap(error instanceof RangeError && /call stack/.test(error.message)
      ? 'call stack exhausted'
      : `host error: ${error?.message ?? String(error)}`, { cause: error });
  }
  if (lockdown && lockdown.reason === null) lockdown.reason = t.message;
  return t;
}
