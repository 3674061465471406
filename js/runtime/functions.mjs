// The two directions of a call across a component boundary.
//
// A *lifted* function (canon lift) is guest code offered as a component function. The
// host calls it through `callFromHost` (JS values in, JS value out), another component
// through `callFrom(caller, args)`. Either way: check the arguments, enter the instance
// (may_enter), lower the arguments into the callee's memory, call the core function, lift
// the result, run post-return with may_leave cleared, leave.
//
// A *lowered* function (canon lower) is a core function that a guest imports: it lifts the
// guest's flat arguments, calls the callee (a host function, or another component's
// lifted function), and lowers the result back into the guest.
//
// Anything that goes wrong while guest code runs is a trap: the instance is locked down
// and the caller gets a ComponentTrap (a WebAssembly.RuntimeError).
import { ComponentError, ComponentTrap, trap, trapInside } from '../errors.mjs';
import { callRealloc } from '../values/memory.mjs';
import { CallContext } from './call-context.mjs';
import { closureScalarTrampoline, compileScalarTrampoline } from './scalar-trampoline.mjs';
import { entryChain, enter, leave, refuseIfTrapped } from './instance-state.mjs';
import { guestTrap } from './guest-trap.mjs';
import { SUSPENDED } from './async/driver.mjs';
import { jspiMissing } from './async/jspi.mjs';

function containsHandles(t, types, seen = new Set()) {
  if (seen.has(t)) return false;
  seen.add(t);
  switch (t.kind) {
    case 'own': case 'borrow': return true;
    case 'list': case 'fixed-list': return containsHandles(types[t.element], types, seen);
    case 'record': case 'tuple': return t.fields.some((f) => containsHandles(types[f.type], types, seen));
    case 'variant': case 'option': case 'result': return t.cases.some((c) => c.type !== null && containsHandles(types[c.type], types, seen));
    default: return false;
  }
}

/** Whether lifting or lowering type index `t` touches memory (strings, lists). */
export function needsMemory(types, index) {
  return typeNeedsMemory(types[index], types);
}

function typeNeedsMemory(t, types, seen = new Set()) {
  if (seen.has(t)) return false;
  seen.add(t);
  switch (t.kind) {
    case 'string': case 'list': return true;
    case 'fixed-list': return typeNeedsMemory(types[t.element], types, seen);
    case 'record': case 'tuple': return t.fields.some((f) => typeNeedsMemory(types[f.type], types, seen));
    case 'variant': case 'option': case 'result': return t.cases.some((c) => c.type !== null && typeNeedsMemory(types[c.type], types, seen));
    default: return false;
  }
}

// How many leading parameters a caller must pass: all but the trailing option<T>s whose JS
// form is `undefined` for none (an option<option<T>> is tagged, so it must be passed).
function requiredParamCount(paramTypes, types) {
  let n = paramTypes.length;
  while (n > 0 && paramTypes[n - 1].kind === 'option' && types[paramTypes[n - 1].cases[1].type].kind !== 'option') n--;
  return n;
}

// A description of one function signature's lowering shape, shared by both directions.
// What goes flat and what through memory is the engine's arithmetic (the plan's
// coreSignature: flatten_functype for this lift or lower, and the funcType's paramTuple);
// JS keeps no second copy of the ABI's limits.
class Signature {
  // core: the plan's coreSignature of the lifted or lowered function.
  constructor(runtime, funcTypeIndex, core) {
    const ft = runtime.plan.funcTypes[funcTypeIndex];
    const types = runtime.plan.types;
    this.funcType = ft;
    this.core = core;
    this.paramNames = ft.params.map((p) => p.name);
    this.requiredParams = requiredParamCount(ft.params.map((p) => types[p.type]), types);
    this.params = ft.params.map((p) => runtime.codecs.get(p.type));
    this.result = ft.result === null ? null : runtime.codecs.get(ft.result);
    this.resultType = ft.result === null ? null : types[ft.result];
    this.spillParams = core.paramsSpilled;
    // Lift: the core function returns a pointer to the result; sync lower: the caller
    // passes an out-pointer last; async lower: always so when there is a result.
    this.spillResult = core.resultsSpilled;
    this.paramTuple = ft.paramTuple;
    this.paramsNeedMemory = this.spillParams || ft.params.some((p) => typeNeedsMemory(types[p.type], types));
    this.resultNeedsMemory = this.resultType !== null && typeNeedsMemory(this.resultType, types);
    // Handles need a call scope in the engine (borrow counting, lenders).
    this.hasHandles = ft.params.some((p) => containsHandles(types[p.type], types)) ||
      (this.resultType !== null && containsHandles(this.resultType, types));
    // All-scalar signatures get a fast path: one flat value per param, at most one result.
    this.scalar = !this.spillParams && !this.paramsNeedMemory && !this.hasHandles && this.params.every((c) => c.lowerOne) &&
      (this.result === null || (this.result.liftOne && !this.spillResult));
  }

  /** The core result type of the core function (null: none). */
  get coreResultType() {
    return this.core.results[0] ?? null;
  }

  /** The core parameter types of the core function (a lower's out-pointer included). */
  get coreParamTypes() {
    return this.core.params;
  }

  // As jco and WebAssembly's own exports do: arguments beyond the parameters are ignored,
  // and trailing option<T> parameters may be left out (none). Too few otherwise is an error.
  checkArgs(args) {
    const n = this.params.length;
    if (args.length < this.requiredParams) {
      const count = this.requiredParams === n ? `${n}` : `${this.requiredParams} to ${n}`;
      throw new TypeError(`expected ${count} argument${n === 1 ? '' : 's'}, got ${args.length}`);
    }
    for (let i = 0; i < n; i++) this.params[i].check(args[i], this.paramNames[i]);
  }

  /** Lowers JS args into flat core args (spilling through realloc'd memory if needed). */
  lowerArgs(ctx, args) {
    if (this.spillParams) {
      const { offsets, size, align } = this.paramTuple;
      ctx.path = 'arguments';
      const ptr = callReallocForArgs(ctx, align, size);
      for (let i = 0; i < this.params.length; i++) {
        ctx.path = this.paramNames[i];
        ctx.mem.refresh();
        this.params[i].store(ctx, args[i], ptr + offsets[i]);
      }
      return [ptr];
    }
    const flat = [];
    for (let i = 0; i < this.params.length; i++) {
      ctx.path = this.paramNames[i];
      this.params[i].lowerFlat(ctx, args[i], flat);
    }
    return flat;
  }

  /** Lifts JS args from flat core args (reading a spilled tuple from memory if needed). */
  liftArgs(ctx, flat) {
    ctx.startLift();
    const n = this.params.length;
    const args = new Array(n);
    if (this.spillParams) {
      const ptr = flat[0] >>> 0;
      const { offsets, size, align } = this.paramTuple;
      ctx.mem.checkRange(ptr, size, align, 'argument pointer');
      ctx.mem.refresh();
      for (let i = 0; i < n; i++) args[i] = this.params[i].load(ctx, ptr + offsets[i]);
      return args;
    }
    if (this.paramsNeedMemory) ctx.mem.refresh();
    let pos = 0;
    for (let i = 0; i < n; i++) {
      args[i] = this.params[i].liftFlat(ctx, flat, pos);
      pos += this.params[i].flatCount;
    }
    return args;
  }
}

function callReallocForArgs(ctx, align, size) {
  // Spilled params are one allocation (spec: lower_flat_values without out_param).
  return callRealloc(ctx, 0, 0, align, size, 'argument');
}

export class LiftedFunction {
  constructor(runtime, index) {
    const lifted = runtime.plan.lifted[index];
    this.runtime = runtime;
    this.lifted = lifted;
    this.sig = new Signature(runtime, lifted.type, lifted.coreSignature);
    this.state = runtime.instances[lifted.instance];
    this.ctx = new CallContext(runtime, lifted.options, this.state);
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
    const ctx = this.ctx;
    const outer = ctx.keepGuestStrings;
    ctx.keepGuestStrings = true;
    try {
      return this.invoke(entryChain(this.state, caller), args);
    } finally {
      ctx.keepGuestStrings = outer;
    }
  }

  invoke(chain, args) {
    const sig = this.sig;
    const lockdown = this.state.lockdown;
    refuseIfTrapped(lockdown);
    sig.checkArgs(args);
    const resources = this.runtime.resources;
    const ctx = this.ctx;
    enter(chain);
    const outerCall = ctx.call;
    const usesContext = this.runtime.usesContext;
    if (sig.hasHandles) resources.beginCall(ctx);
    if (usesContext) this.runtime.context.push();
    // In a component that uses async built-ins, a sync call is an engine task too: those
    // built-ins act on the current thread, and sync tasks follow rules of their own.
    const driver = this.runtime.usesAsync ? this.runtime.async : null;
    const task = driver ? driver.enterSyncTask(this) : 0;
    let finished = false;
    try {
      const value = this.runSync(sig.lowerArgs(ctx, args), driver ? () => driver.store.onSyncReturn(task) : null);
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
      ctx.call = outerCall;
      leave(chain);
    }
  }

  /**
   * The guest part of a sync-lifted call whose arguments are lowered (`flat`): the core
   * function, the result lifted, borrows checked, `returned(value)` told (the task
   * resolves there), post-return with may_leave cleared. Returns the JS value.
   */
  runSync(flat, returned) {
    return this.finishSync(this.core(...flat), returned);
  }

  /** runSync after the core function returned `raw`. */
  finishSync(raw, returned) {
    const sig = this.sig;
    const ctx = this.ctx;
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

/** A JSON tree of a function type, for tools (WAST runner, WAVE, the demo's forms). */
export function describeFuncType(ft, types) {
  const describe = (index) => {
    if (index === null) return null;
    const t = types[index];
    const out = { kind: t.kind };
    if (t.element !== undefined) out.element = describe(t.element);
    if (t.length !== undefined) out.length = t.length;
    if (t.fields) out.fields = t.fields.map((f) => ({ name: f.name, type: describe(f.type) }));
    if (t.cases) out.cases = t.cases.map((c) => ({ name: c.name, type: describe(c.type) }));
    if (t.labels) out.labels = t.labels;
    if (t.resource !== undefined) out.resource = t.resource;
    return out;
  };
  return {
    async: ft.async,
    params: ft.params.map((p) => ({ name: p.name, type: describe(p.type) })),
    result: describe(ft.result),
  };
}

/**
 * Builds the core function for lowered[index] without the `async` option (that one is
 * async/async-lower.mjs): what the guest calls. `callee(args)` is
 * the component-level function (a host JS function, or another instance's lifted one).
 */
export function makeLoweredFunction(runtime, index, callee, describeCallee, { fromHost = false } = {}) {
  const lowered = runtime.plan.lowered[index];
  const sig = new Signature(runtime, lowered.callee.type, lowered.coreSignature);
  const state = runtime.instances[lowered.instance];
  const ctx = new CallContext(runtime, lowered.options, state);
  // Strings going to another guest keep their source encoding (values/guest-strings.mjs).
  ctx.keepGuestStrings = !fromHost;
  const resultNeedsMemory = sig.spillResult || sig.resultNeedsMemory;
  const resources = runtime.resources;
  const isResult = sig.resultType?.kind === 'result';
  // A sync lower of an async function may have to wait for it (jspi.mjs): the caller's
  // stack suspends, and the result is lowered when it resumes. So may a sync lower of a
  // suspending host import (its Promise), and with those, of every other component's
  // function (it may reach one).
  const suspends = runtime.suspends;
  const mayBlock = sig.funcType.async || (suspends !== null && (!fromHost || suspends(lowered.callee.import)));
  const waitsOnPromise = fromHost && sig.resultType?.kind !== 'future';
  const coreResult = sig.coreResultType;
  const suspended = () => (coreResult === 'i64' ? 0n : coreResult === null ? undefined : 0);
  const lowered_ = function (...flat) {
    if (!state.mayLeave) trap('cannot leave component instance');
    if (!sig.hasHandles) return callAndLower(flat);
    const outerCall = ctx.call;
    resources.beginCall(ctx);
    try {
      return callAndLower(flat);
    } finally {
      resources.endCall(ctx);
      ctx.call = outerCall;
    }
  };

  if (!mayBlock) return lowered_;
  return runtime.async.blockingBuiltin(lowered_, sig.coreParamTypes, coreResult);

  function callAndLower(flat) {
    const args = sig.liftArgs(ctx, flat);
    let value;
    if (fromHost && isResult) {
      value = hostResult(() => callee(args), mayBlock);
    } else {
      value = callee(args);
    }
    // (Only a host function's Promise is waited for: from a guest, or as the value of a
    // future<T> result, a Promise is a future.)
    if (mayBlock && (value === SUSPENDED || (waitsOnPromise && isThenable(value)))) return suspend(value, flat);
    return lowerResult(value, flat);
  }

  // The callee has not returned: the caller's stack waits (or this traps where it cannot).
  function suspend(value, flat) {
    const driver = runtime.async;
    const thread = driver.currentThread('a call', state);
    if (value === SUSPENDED) {
      // A guest callee: the driver gives its result when it resolves.
      const call = driver.stackOf(thread);
      const calleeResult = call.finish;
      call.finish = (resume) => lowerResult(calleeResult(resume), flat);
    } else {
      // An async host function's Promise.
      driver.blockOnPromise(thread, `the synchronous call of ${describeCallee}`, value, (settled) => {
        if ('error' in settled) {
          throw new ComponentTrap(`host error: the async import ${describeCallee} rejected: ${settled.error?.message ?? String(settled.error)}`, { cause: settled.error });
        }
        return lowerResult(settled.value, flat);
      });
    }
    return suspended();
  }

  function lowerResult(value, flat) {
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

export { Signature };
