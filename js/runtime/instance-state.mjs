// The per-component-instance flags of the spec that the JS side enforces at every call
// boundary: may_enter (no reentrance into an instance that is on the call stack),
// may_leave (no import calls from inside realloc/post-return), and lockdown after a trap.
// Lockdown is shared by every instance of one top-level instantiation: after a trap the
// user's component instance refuses every call, while other instantiations go on.
import { trap } from '../errors.mjs';

export class Lockdown {
  constructor() {
    this.reason = null;  // the first trap's message, once trapped (or STACK_TRAPPED)
  }
}

// The lockdown reason while a suspendable stack (JSPI) has trapped but its Promise has not
// yet brought the trap (a microtask later): what waits on the reason waits for that
// (driver.mjs stackTrapReason), rather than report this placeholder.
export const STACK_TRAPPED = 'a task trapped';

export class InstanceState {
  constructor(index, parent, lockdown) {
    this.index = index;
    this.parent = parent;      // InstanceState | null
    this.lockdown = lockdown;
    this.mayEnter = true;
    this.mayLeave = true;
  }

  /** This instance and its ancestors, innermost first (the spec's self_and_ancestors). */
  selfAndAncestors() {
    const chain = [];
    for (let s = this; s; s = s.parent) chain.push(s);
    return chain;
  }
}

/**
 * The instances whose may_enter a call from `caller` (null: the host) into `callee`
 * clears: callee.self_and_ancestors() minus caller.self_and_ancestors().
 */
export function entryChain(callee, caller) {
  const callerChain = caller ? new Set(caller.selfAndAncestors()) : new Set();
  return callee.selfAndAncestors().filter((s) => !callerChain.has(s));
}

// The lockdown reason of an instance the host disposed of (instance[Symbol.dispose]).
export const DISPOSED = 'disposed';

/** Why a locked-down instance refuses a call. */
export function refusal(reason) {
  return reason === DISPOSED
    ? 'cannot enter component instance: it was disposed'
    : `cannot enter component instance: it trapped earlier (${reason})`;
}

/** Traps when the instance has trapped before: checked before any argument is read. */
export function refuseIfTrapped(lockdown) {
  if (lockdown.reason !== null) trap(refusal(lockdown.reason));
}

export function enter(chain) {
  const lockdown = chain[0]?.lockdown;
  if (lockdown) refuseIfTrapped(lockdown);
  for (let i = 0; i < chain.length; i++) {
    if (!chain[i].mayEnter) trap('cannot enter component instance: it is already on the call stack (reentrance)');
  }
  for (let i = 0; i < chain.length; i++) chain[i].mayEnter = false;
}

export function leave(chain) {
  for (let i = 0; i < chain.length; i++) chain[i].mayEnter = true;
}

/**
 * Whether calls from `caller` into `callee` are refused outright: between an instance and
 * itself or one of its ancestors, in either direction. The spec only refuses entering an
 * instance already on the stack; Wasmtime (and the spec's suite,
 * async/trap-on-reenter.wast) refuse these calls "for now", since they may recurse.
 */
export function mayRecurse(caller, callee) {
  return caller.selfAndAncestors().includes(callee) || callee.selfAndAncestors().includes(caller);
}

export const RECURSIVE_CALL = 'cannot enter component instance: a call between a component instance and its own ancestor or descendant may recurse';
