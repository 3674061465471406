// canon lower without the `async` option (that one is async/async-lower.mjs): a core
// function that a guest imports. It lifts the guest's flat arguments, calls the callee (a
// host function, or another component's lifted function), and lowers the result back into
// the guest. A callee that has not returned (an async function, a host Promise) makes the
// caller's stack wait where JSPI allows (async/jspi.mjs).
import { ComponentTrap, trap } from '../errors.mjs';
import { CallContext, LiftLowerOptions } from './call-context.mjs';
import { Signature } from './signature.mjs';
import { SUSPENDED } from './async/driver.mjs';
import { syncLowerMayBlock } from './async/jspi.mjs';

/**
 * Builds the core function for lowered[index] without the `async` option (that one is
 * async/async-lower.mjs): what the guest calls. `callee(args)` is
 * the component-level function (a host JS function, or another instance's lifted one).
 */
export function makeLoweredFunction(runtime, index, callee, describeCallee, { fromHost = false, rawByteStreams = false } = {}) {
  const lowered = runtime.plan.lowered[index];
  const sig = new Signature(runtime, lowered.callee.type, lowered.coreSignature);
  const state = runtime.instances[lowered.instance];
  const opts = new LiftLowerOptions(runtime, lowered.options, state);
  const resultNeedsMemory = sig.spillResult || sig.resultNeedsMemory;
  const resources = runtime.resources;
  const isResult = sig.resultType?.kind === 'result';
  // A sync lower of an async function may have to wait for it (jspi.mjs): the caller's
  // stack suspends, and the result is lowered when it resumes. So may a sync lower of a
  // suspending host import (its Promise), and with those, of every other component's
  // function (it may reach one).
  const mayBlock = syncLowerMayBlock(runtime.plan, lowered, runtime.suspends);
  const waitsOnPromise = fromHost && sig.resultType?.kind !== 'future';
  const coreResult = sig.coreResultType;
  const suspended = () => (coreResult === 'i64' ? 0n : coreResult === null ? undefined : 0);
  const lowered_ = function (...flat) {
    if (!state.mayLeave) trap('cannot leave component instance');
    // Strings going to another guest keep their source encoding (values/guest-strings.mjs).
    const ctx = new CallContext(opts, !fromHost);
    ctx.rawByteStreams = rawByteStreams;
    if (!sig.hasHandles) return callAndLower(ctx, flat);
    resources.beginCall(ctx);
    try {
      return callAndLower(ctx, flat);
    } finally {
      resources.endCall(ctx);
      ctx.call = -1;  // a result lowered after the caller's stack waited is outside the scope
    }
  };

  if (!mayBlock) return lowered_;
  return runtime.async.blockingBuiltin(lowered_, sig.coreParamTypes, coreResult);

  function callAndLower(ctx, flat) {
    const args = sig.liftArgs(ctx, flat);
    let value;
    if (fromHost && isResult) {
      value = hostResult(() => callee(args), mayBlock);
    } else {
      value = callee(args);
    }
    // (Only a host function's Promise is waited for: from a guest, or as the value of a
    // future<T> result, a Promise is a future.)
    if (mayBlock && (value === SUSPENDED || (waitsOnPromise && isThenable(value)))) return suspend(ctx, value, flat);
    return lowerResult(ctx, value, flat);
  }

  // The callee has not returned: the caller's stack waits (or this traps where it cannot).
  function suspend(ctx, value, flat) {
    const driver = runtime.async;
    const thread = driver.currentThread('a call', state);
    if (value === SUSPENDED) {
      // A guest callee: the driver gives its result when it resolves.
      const call = driver.stackOf(thread);
      const calleeResult = call.finish;
      call.finish = (resume) => lowerResult(ctx, calleeResult(resume), flat);
    } else {
      // An async host function's Promise.
      driver.blockOnPromise(thread, `the synchronous call of ${describeCallee}`, value, (settled) => {
        if ('error' in settled) {
          throw new ComponentTrap(`host error: the async import ${describeCallee} rejected: ${settled.error?.message ?? String(settled.error)}`, { cause: settled.error });
        }
        return lowerResult(ctx, settled.value, flat);
      });
    }
    return suspended();
  }

  function lowerResult(ctx, value, flat) {
    if (sig.result === null) return undefined;
    if (fromHost && !mayBlock && isThenable(value) && sig.resultType?.kind !== 'future') {
      trap(`the host function for ${describeCallee} returned a Promise, but its WIT type is synchronous: make it return a value, or instantiate with { suspendingImports: [...] } naming it (needs JSPI)`);
    }
    if (sig.spillResult) {
      // The caller passed an out-pointer as the last core parameter.
      const ptr = flat[flat.length - 1] >>> 0;
      ctx.mem.checkRange(ptr, sig.result.size, sig.result.align, 'result pointer');
      ctx.path = `result of ${describeCallee}`;
      sig.result.check(value, ctx.path);
      ctx.mem.refresh();
      sig.result.store(ctx, value, ptr);
      return undefined;
    }
    ctx.path = `result of ${describeCallee}`;
    if (resultNeedsMemory) sig.result.check(value, ctx.path);
    const out = [];
    sig.result.lowerFlat(ctx, value, out);
    return out[0];
  }
}

const isThenable = (v) => v !== null && typeof v?.then === 'function';

const hostErr = (e) => ({ tag: 'err', val: e !== null && typeof e === 'object' && 'payload' in e ? e.payload : e });

/**
 * A host function's answer for a `result<T, E>` type: a returned value is ok(T), a throw is
 * error(E): the thrown error's `payload` (as jco does), else the error itself. With
 * `settlePromises`, a returned Promise answers the same way when it settles.
 */
export function hostResult(call, settlePromises) {
  let val;
  try {
    val = call();
  } catch (e) {
    return hostErr(e);
  }
  if (settlePromises && isThenable(val)) return Promise.resolve(val).then((v) => ({ tag: 'ok', val: v }), hostErr);
  return { tag: 'ok', val };
}
