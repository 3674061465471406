// The shape of one component function's call at the core level, shared by both directions
// of a call (canon-lift.mjs, canon-lower.mjs, async/async-lower.mjs): its parameters' and
// result's codecs, and, from the engine's plan, which values go flat and which through
// memory. A leaf module: it imports no call path.
import { callRealloc } from '../values/memory.mjs';

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
export class Signature {
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

/** A JSON tree of the plan's type `index` (null for none), for tools and reflection. */
export function describeType(index, types) {
  const describe = (i) => {
    if (i === null) return null;
    const t = types[i];
    const out = { kind: t.kind };
    if (t.element !== undefined) out.element = describe(t.element);
    if (t.length !== undefined) out.length = t.length;
    if (t.fields) out.fields = t.fields.map((f) => ({ name: f.name, type: describe(f.type) }));
    if (t.cases) out.cases = t.cases.map((c) => ({ name: c.name, type: describe(c.type) }));
    if (t.labels) out.labels = t.labels;
    if (t.resource !== undefined) out.resource = t.resource;
    return out;
  };
  return describe(index);
}

/** A JSON tree of a function type, for tools (WAST runner, WAVE, the demo's forms). */
export function describeFuncType(ft, types) {
  const describe = (index) => describeType(index, types);
  return {
    async: ft.async,
    params: ft.params.map((p) => ({ name: p.name, type: describe(p.type) })),
    result: describe(ft.result),
  };
}
