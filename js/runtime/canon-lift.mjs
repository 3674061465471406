// canon lift: guest code offered as a component function. The host calls it through
// `hostFunction` (JS values in, JS value out; async functions through the driver:
// async/driver.mjs callFromHost), another component through `callFrom(caller, args)`.
// Either way: check the arguments, enter the instance (may_enter), lower the arguments
// into the callee's memory, call the core function, lift the result, run post-return with
// may_leave cleared, leave.
//
// Anything that goes wrong while guest code runs is a trap: the instance is locked down
// and the caller gets a ComponentTrap (a WebAssembly.RuntimeError).
import { ComponentError, trapInside } from '../errors.mjs';
import { CallContext, LiftLowerOptions } from './call-context.mjs';
import { closureScalarTrampoline, compileScalarTrampoline } from './scalar-trampoline.mjs';
import { entryChain, enter, leave, refuseIfTrapped } from './instance-state.mjs';
import { guestTrap } from './guest-trap.mjs';
import { Signature, describeFuncType } from './signature.mjs';

export class LiftedFunction {
  constructor(runtime, index) {
    const lifted = runtime.plan.lifted[index];
    this.runtime = runtime;
    this.lifted = lifted;
    this.sig = new Signature(runtime, lifted.type, lifted.coreSignature);
    this.state = runtime.instances[lifted.instance];
    this.opts = new LiftLowerOptions(runtime, lifted.options, this.state);
    // All-scalar signatures convert without guest code (no realloc), handles or guest
    // forms: nothing of one call can be seen by another, so they share one context.
    this.scalarCtx = this.sig.scalar ? new CallContext(this.opts) : null;
    this.hostChain = entryChain(this.state, null);
    this._core = null;
    // How the task runs (docs/async-design.md): 'sync', 'callback' (the async callback
    // ABI) or 'stackful' (async without a callback).
    this.liftKind = !lifted.options.async ? 'sync' : lifted.options.callback ? 'callback' : 'stackful';
    // Async-typed functions and async lifts run as tasks of the async driver; so does every
    // call when the component uses async built-ins (they need the engine's current thread).
    this.isAsync = this.sig.funcType.async || lifted.options.async || runtime.suspends !== null;
    // Whether its task may block before it returns: an async-typed function's may; with
    // suspending imports (component.mjs suspendingImports) every task may, as under jco's
    // JSPI mode: the engine starts them as async-typed tasks, on stacks that can suspend.
    this.mayBlock = this.sig.funcType.async || runtime.suspends !== null;
    this.exportName = null;  // the JS name it is first exported under (instance.taskTree())
  }

  get callback() {
    return (this._callback ??= this.runtime.resolveCore(this.lifted.options.callback));
  }

  get core() {
    return (this._core ??= this.runtime.resolveCore(this.lifted.core));
  }

  /**
   * Calls from another component instance (caller: InstanceState). Returns the JS value;
   * strings in it stay GuestStrings, bound for the caller's memory.
   */
  callFrom(caller, args) {
    if (!caller) return this.invoke(this.hostChain, args);
    if (this.isAsync) return this.runtime.async.callSyncLowered(this, caller, args);
    return this.invoke(entryChain(this.state, caller), args, true);
  }

  // `forGuest`: the result goes to another guest (strings and ends keep their guest form).
  invoke(chain, args, forGuest = false) {
    const sig = this.sig;
    const lockdown = this.state.lockdown;
    refuseIfTrapped(lockdown);
    sig.checkArgs(args);
    const resources = this.runtime.resources;
    const ctx = this.scalarCtx ?? new CallContext(this.opts, forGuest);
    enter(chain);
    const usesContext = this.runtime.usesContext;
    if (sig.hasHandles) resources.beginCall(ctx);
    if (usesContext) this.runtime.context.push();
    // In a component that uses async built-ins, a sync call is an engine task too: those
    // built-ins act on the current thread, and sync tasks follow rules of their own.
    const driver = this.runtime.usesAsync ? this.runtime.async : null;
    const task = driver ? driver.enterSyncTask(this) : 0;
    let finished = false;
    try {
      const value = this.runSync(ctx, sig.lowerArgs(ctx, args), driver ? () => driver.store.onSyncReturn(task) : null);
      finished = true;
      return value;
    } catch (e) {
      const t = guestTrap(e, lockdown);
      if (driver) driver.trapped(t, true);
      throw t;
    } finally {
      if (driver) driver.exitSyncTask(task, finished);
      if (usesContext) this.runtime.context.pop();
      if (sig.hasHandles) resources.endCall(ctx);
      leave(chain);
    }
  }

  /**
   * The guest part of a sync-lifted call whose arguments are lowered (`flat`): the core
   * function, the result lifted, borrows checked, `returned(value)` told (the task
   * resolves there), post-return with may_leave cleared. Returns the JS value.
   */
  runSync(ctx, flat, returned) {
    return this.finishSync(ctx, this.core(...flat), returned);
  }

  /** runSync after the core function returned `raw`; `ctx`: the call's context. */
  finishSync(ctx, raw, returned) {
    const sig = this.sig;
    let value;
    if (sig.result !== null) {
      ctx.path = 'the result';
      ctx.startLift();
      if (sig.spillResult) {
        const ptr = raw >>> 0;
        ctx.mem.checkRange(ptr, sig.result.size, sig.result.align, 'result pointer');
        ctx.mem.refresh();
        value = sig.result.load(ctx, ptr);
      } else {
        if (sig.resultNeedsMemory) ctx.mem.refresh();
        value = sig.result.liftFlat(ctx, [raw], 0);
      }
    }
    // A sync lift's task returns here: borrows lent to it must all have been dropped.
    if (sig.hasHandles) this.runtime.resources.store.checkBorrows(ctx.call);
    if (returned) returned(value);
    const postReturn = ctx.postReturn;
    if (postReturn) {
      this.state.mayLeave = false;
      try {
        if (sig.result === null) postReturn();
        else postReturn(raw);
      } catch (e) {
        throw trapInside('its post-return', `after \`${this.exportName ?? 'an export'}\` returned`, e);
      } finally {
        this.state.mayLeave = true;
      }
    }
    return value;
  }

  /** The JS function the host calls: JS values in and out, top-level result<T, E> thrown. */
  hostFunction(name) {
    const self = this;
    this.exportName ??= name;
    const sig = this.sig;
    const isResult = sig.resultType?.kind === 'result';
    let fn;
    if (this.isAsync) fn = this.asyncHostFunction();
    // All-scalar signatures get generated code (or closures, under a CSP that forbids code
    // from strings); signatures of more than 4 parameters there take the general path
    // below, which behaves the same, only slower.
    if (!fn && sig.scalar && !this.lifted.options.postReturn && !this.runtime.usesContext && !this.runtime.usesAsync) {
      fn = this.generatedScalarFunction(name);
    }
    if (!fn) {
      fn = function (...args) {
        const value = self.invoke(self.hostChain, args);
        if (isResult) {
          if (value.tag === 'err') throw new ComponentError(value.val);
          return value.val;
        }
        return value;
      };
    }
    Object.defineProperty(fn, 'name', { value: name });
    Object.defineProperty(fn, Symbol.for('cmbridge.type'), { value: this.describeType() });
    if (this.isStreamTransform()) Object.defineProperty(fn, 'asTransform', { value: () => asTransform(fn) });
    return fn;
  }

  // `(stream<T>) -> stream<U>`: offered to WHATWG pipeThrough as well (asTransform).
  isStreamTransform() {
    const types = this.runtime.plan.types;
    const ft = this.sig.funcType;
    return ft.params.length === 1 && types[ft.params[0].type].kind === 'stream' &&
      this.sig.resultType?.kind === 'stream';
  }

  // An async function type or async lift: a function returning a Promise of the result
  // (js/runtime/async/).
  // Its `length` counts the options argument ({ signal }) after the parameters, so that it
  // gets one when it is given to another instance as an async import (async-lower.mjs).
  asyncHostFunction() {
    const self = this;
    const fn = function (...args) { return self.runtime.async.callFromHost(self, args); };
    Object.defineProperty(fn, 'length', { value: this.sig.params.length + 1 });
    return fn;
  }

  // The fastest path for all-scalar signatures: code generated for the exact signature,
  // or, where code may not be made from strings, the same built from closures.
  generatedScalarFunction(name) {
    const sig = this.sig;
    const env = {
      name,
      paramKinds: sig.params.map((c) => c.type.kind),
      paramCodecs: sig.params,
      paramNames: sig.paramNames,
      resultKind: sig.result ? sig.result.type.kind : null,
      resultCodec: sig.result,
      isResult: sig.resultType?.kind === 'result',
      chain: this.hostChain,
      guardsReentry: this.runtime.hostCanReenter,
      lockdown: this.state.lockdown,
      resolveCore: () => this.core,
      enter,
      leave,
      trapped: (e) => guestTrap(e, this.state.lockdown),
      finish: (value) => {
        if (value.tag === 'err') throw new ComponentError(value.val);
        return value.val;
      },
    };
    return compileScalarTrampoline(env) ?? closureScalarTrampoline(env);
  }

  describeType() {
    const types = this.runtime.plan.types;
    return describeFuncType(this.sig.funcType, types);
  }
}

/**
 * A TransformStream-like `{ writable, readable }` pair around an export shaped
 * `(stream<T>) -> stream<U>`, for `source.pipeThrough(exports.f.asTransform())`: what is
 * written goes to the guest as its argument stream; the guest's result stream comes out of
 * `readable`. Chunks pass by reference; a call that fails errors both sides.
 */
function asTransform(fn) {
  const input = new TransformStream();
  const output = new TransformStream();
  Promise.resolve()
    .then(() => fn(input.readable))
    .then((result) => result.pipeTo(output.writable))
    .catch((error) => {
      output.writable.abort(error).catch(() => {});
      input.readable.cancel(error).catch(() => {});
    });
  return { writable: input.writable, readable: output.readable };
}
