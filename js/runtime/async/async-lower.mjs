// `canon lower` with the `async` option (CanonicalABI.md "canon lower"): the guest's call
// returns at once with `state | subtask index << 4` (or RETURNED alone when the callee
// finished on the spot), and the callee's result is stored at the out-pointer when it
// returns. The callee is another component's lifted function (it runs as an engine task
// whose caller is the subtask) or a host function (its Promise settling resolves the
// subtask).
//
// Core signature (the plan's coreSignature): the parameters flattened with
// MAX_FLAT_ASYNC_PARAMS (4; more go through a pointer to the tuple in the caller's memory),
// then an out-pointer when there is a result; the core function returns one i32.
import { trap } from '../../errors.mjs';
import { CallContext, LiftLowerOptions } from '../call-context.mjs';
import { hostResult } from '../canon-lower.mjs';
import { Signature } from '../signature.mjs';
import { RECURSIVE_CALL, entryChain, mayRecurse } from '../instance-state.mjs';

export function makeAsyncLoweredFunction(runtime, index, describeCallee) {
  const lowered = runtime.plan.lowered[index];
  const sig = new Signature(runtime, lowered.callee.type, lowered.coreSignature);
  const state = runtime.instances[lowered.instance];
  const opts = new LiftLowerOptions(runtime, lowered.options, state);
  // The core parameters that carry the arguments; the out-pointer follows them.
  const paramCount = sig.coreParamTypes.length - (sig.spillResult ? 1 : 0);
  const result = sig.result;
  const resultPath = `result of ${describeCallee}`;
  const calleeIsHost = !!lowered.callee.import;
  const target = calleeIsHost ? null : runtime.liftedFunction(lowered.callee.lifted);
  const chain = target ? entryChain(target.state, state) : null;
  const host = calleeIsHost ? hostCallee(runtime, lowered.callee.import, sig) : null;
  const signalled = calleeIsHost && wantsSignal(runtime, lowered.callee.import, sig);

  if (target && mayRecurse(state, target.state)) return () => trap(RECURSIVE_CALL);

  return function asyncLowered(...flat) {
    if (!state.mayLeave) trap('cannot leave component instance');
    const driver = runtime.async;
    const thread = driver.currentThread('an async-lowered call', state);
    const subtask = driver.store.lowerStart(thread, true);
    const retptr = result !== null ? flat[paramCount] >>> 0 : 0;
    // The call's context. Strings and stream/future ends going to another guest keep their
    // source form (values/guest-strings.mjs, values/stream-codec.mjs GuestEnd).
    const ctx = new CallContext(opts, !calleeIsHost);
    // Arguments are lifted when the callee starts (it may wait behind backpressure), in
    // the engine's scope for the call (`scope`: handles lent for this subtask), which ends
    // when the lift does.
    // (sig.liftArgs reads the first paramCount values; the out-pointer after them stays.)
    const liftArgs = !sig.hasHandles ? () => sig.liftArgs(ctx, flat) : (scope) => {
      ctx.call = scope;
      try {
        return sig.liftArgs(ctx, flat);
      } finally {
        ctx.call = -1;
      }
    };
    const returned = result === null ? () => {} : (value) => {
      ctx.path = resultPath;
      result.check(value, resultPath);
      ctx.mem.checkRange(retptr, result.size, result.align, 'result pointer');
      ctx.mem.refresh();
      result.store(ctx, value, retptr);
    };
    if (target) driver.startSubtask(target, subtask, chain, liftArgs, returned);
    else driver.callHostAsync(host, subtask, liftArgs, returned, describeCallee, sig.hasHandles, signalled);
    return driver.store.lowerFinish(subtask);
  };
}

// The host function behind an import, as `args => value | Promise`: for a result<T, E>
// type, a returned value is ok(T) and a throw or rejection is error(E) (its `payload` when
// it has one, as jco does).
function hostCallee(runtime, path, sig) {
  const fn = runtime.resources.wrapHostCall(path, runtime.hostImportFunction(path));
  if (sig.resultType?.kind !== 'result') return fn;
  return (args) => hostResult(() => fn(args), true);
}

// Whether the host function asks for the call's { signal }: it declares a parameter more
// than the WIT function has (`async get(url, { signal })`). Only then is it passed: hosts
// written for jco often take `(...args)` and would see it as an argument.
function wantsSignal(runtime, path, sig) {
  const fn = runtime.hostImportFunction(path);
  return typeof fn === 'function' && fn.length > sig.params.length;
}
