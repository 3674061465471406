// A JS function generated per all-scalar export signature: the per-call path of
// `add(u32, u32) -> u32` must cost about as much as a plain core wasm call, so the checks
// and conversions of each parameter and of the result are written inline for its type,
// with no closures, arrays or argument spreading in between.
//
// Pages whose Content-Security-Policy forbids `new Function` (codegen.mjs) get null back,
// and the caller falls back to the closure-built path (LiftedFunction.scalarHostFunction),
// which behaves identically, only slower.
import { codegenAllowed } from '../codegen.mjs';

// Inline argument checks: an expression that is true when `a` is NOT a valid value, and
// the expression that lowers it. Kinds not listed use the codec's lowerOne.
const INLINE_PARAM = {
  u8: (a) => [`(${a} & 0xff) !== ${a}`, a],
  s8: (a) => [`((${a} << 24) >> 24) !== ${a}`, a],
  u16: (a) => [`(${a} & 0xffff) !== ${a}`, a],
  s16: (a) => [`((${a} << 16) >> 16) !== ${a}`, a],
  u32: (a) => [`(${a} >>> 0) !== ${a}`, a],
  s32: (a) => [`(${a} | 0) !== ${a}`, a],
  bool: (a) => [`typeof ${a} !== 'boolean'`, `(${a} ? 1 : 0)`],
  // NaNs cross as the canonical one (values/floats.mjs).
  f64: (a) => [`typeof ${a} !== 'number'`, `canonicalNaN(${a})`],
  f32: (a) => [`typeof ${a} !== 'number'`, `canonicalNaN(Math.fround(${a}))`],
};

// Inline result lifts (the spec's lift_flat for core i32/i64/f32/f64 results).
const INLINE_RESULT = {
  u8: (r) => `(${r} & 0xff)`,
  s8: (r) => `((${r} << 24) >> 24)`,
  u16: (r) => `(${r} & 0xffff)`,
  s16: (r) => `((${r} << 16) >> 16)`,
  u32: (r) => `(${r} >>> 0)`,
  s32: (r) => `(${r} | 0)`,
  bool: (r) => `(${r} !== 0)`,
  f64: (r) => `canonicalNaN(${r})`,
  f32: (r) => `canonicalNaN(${r})`,
  u64: (r) => `BigInt.asUintN(64, ${r})`,
  s64: (r) => `BigInt.asIntN(64, ${r})`,
};


/**
 * env: { name, paramKinds, paramCodecs, paramNames, resultKind, resultCodec, isResult,
 *        chain, lockdown, resolveCore, enter, leave, trapped, finish }
 * Returns the export function, or null where code generation is not allowed.
 */
export function compileScalarTrampoline(env) {
  if (!codegenAllowed()) return null;
  const arity = env.paramKinds.length;
  const args = env.paramKinds.map((_, i) => `a${i}`);
  const lines = [];
  // Extra arguments are ignored, as WebAssembly's own exports do (Signature.checkArgs).
  lines.push(`if (arguments.length < ${arity}) arityError(arguments.length);`);
  const lowered = env.paramKinds.map((kind, i) => {
    const inline = INLINE_PARAM[kind];
    if (inline) {
      const [invalid, value] = inline(args[i]);
      lines.push(`if (${invalid}) badArgument(${i}, ${args[i]});`);
      return value;
    }
    lines.push(`const x${i} = paramCodecs[${i}].lowerOne(${args[i]}, paramNames[${i}]);`);
    return `x${i}`;
  });
  const single = env.chain.length === 1;
  // Without a way for the host to run while the guest does (env.guardsReentry false), no
  // call can re-enter: may_enter is only checked (a trapped instance refuses), not set.
  const guards = env.guardsReentry !== false;
  if (!guards) {
    lines.push('if (core === null || lockdown.reason !== null) slowCheck();');
  } else if (single) {
    lines.push('if (core === null || s0.mayEnter !== true || lockdown.reason !== null) slowEnter(); else s0.mayEnter = false;');
  } else {
    lines.push('if (core === null) core = resolveCore();', 'enter(chain);');
  }
  const call = `core(${lowered.join(', ')})`;
  const resultInline = env.resultKind === null ? null : INLINE_RESULT[env.resultKind];
  const lifted = env.resultKind === null ? `(${call}, undefined)` : resultInline ? resultInline(call) : `resultCodec.liftOne(${call})`;
  lines.push('let value;');
  const leaving = !guards ? '' : single ? 's0.mayEnter = true;' : 'leave(chain);';
  lines.push(`try { value = ${lifted}; } catch (e) { throw trapped(e); }${leaving ? ` finally { ${leaving} }` : ''}`);
  lines.push(env.isResult ? 'return finish(value);' : 'return value;');

  const fnName = /^[A-Za-z_$][\w$]*$/.test(env.name) ? env.name : 'componentFunction';
  const source = `"use strict";
    let core = null;
    const s0 = chain[0];
    const canonicalNaN = (v) => (v !== v ? NaN : v);
    function slowEnter() {
      if (core === null) core = resolveCore();
      enter(chain);
    }
    function slowCheck() {
      if (core === null) core = resolveCore();
      enter(chain);  // traps for a trapped instance
      leave(chain);
    }
    return function ${fnName}(${args.join(', ')}) {
      ${lines.join('\n      ')}
    };`;
  let factory;
  try {
    // eslint-disable-next-line no-new-func
    factory = new Function('chain', 'lockdown', 'resolveCore', 'enter', 'leave', 'trapped', 'finish',
      'paramCodecs', 'paramNames', 'resultCodec', 'arityError', 'badArgument', source);
  } catch {
    return null;  // (codegenAllowed said yes, but the realm refused: take the closure path)
  }
  const arityError = (n) => {
    throw new TypeError(`expected ${arity} argument${arity === 1 ? '' : 's'}, got ${n}`);
  };
  // The inline check failed: let the codec produce its precise error.
  const badArgument = (i, value) => {
    env.paramCodecs[i].check(value, env.paramNames[i]);
    throw new TypeError(`${env.paramNames[i]}: invalid argument`);
  };
  return factory(env.chain, env.lockdown, env.resolveCore, env.enter, env.leave, env.trapped, env.finish,
    env.paramCodecs, env.paramNames, env.resultCodec, arityError, badArgument);
}

/**
 * The same fast path built from closures, for realms that may not make code from strings
 * (a strict CSP: codegen.mjs): one function per arity up to 4, each codec's lowerOne and
 * liftOne called directly. Slower than generated code, much faster than the general path.
 * Returns null for more parameters (the caller takes the general path).
 */
export function closureScalarTrampoline(env) {
  const arity = env.paramKinds.length;
  if (arity > 4) return null;
  const [low0, low1, low2, low3] = env.paramCodecs.map((c) => c.lowerOne);
  const [p0, p1, p2, p3] = env.paramNames;
  const lift = env.resultKind === null ? null : env.resultCodec.liftOne;
  const { chain, lockdown, resolveCore, enter, leave, trapped, finish, isResult } = env;
  const guards = env.guardsReentry !== false;
  const single = chain.length === 1;
  const s0 = chain[0];
  let core = null;
  const arityError = (n) => {
    throw new TypeError(`expected ${arity} argument${arity === 1 ? '' : 's'}, got ${n}`);
  };
  // Enter, call the core function with the lowered arguments, leave; lift the result.
  const run = (x0, x1, x2, x3) => {
    if (!guards) {
      if (core === null || lockdown.reason !== null) {
        if (core === null) core = resolveCore();
        enter(chain);  // traps for a trapped instance
        leave(chain);
      }
    } else if (single && core !== null && s0.mayEnter === true && lockdown.reason === null) {
      s0.mayEnter = false;
    } else {
      if (core === null) core = resolveCore();
      enter(chain);
    }
    let value;
    try {
      let raw;
      switch (arity) {
        case 0: raw = core(); break;
        case 1: raw = core(x0); break;
        case 2: raw = core(x0, x1); break;
        case 3: raw = core(x0, x1, x2); break;
        default: raw = core(x0, x1, x2, x3);
      }
      // (A result the spec's lift refuses, such as an invalid char, is a trap too.)
      value = lift === null ? undefined : lift(raw);
    } catch (e) {
      throw trapped(e);
    } finally {
      if (!guards) { /* nothing was set */ } else if (single) s0.mayEnter = true;
      else leave(chain);
    }
    return isResult ? finish(value) : value;
  };
  switch (arity) {
    case 0: return function () { return run(); };
    case 1: return function (a0) {
      if (arguments.length < 1) arityError(arguments.length);
      return run(low0(a0, p0));
    };
    case 2: return function (a0, a1) {
      if (arguments.length < 2) arityError(arguments.length);
      return run(low0(a0, p0), low1(a1, p1));
    };
    case 3: return function (a0, a1, a2) {
      if (arguments.length < 3) arityError(arguments.length);
      return run(low0(a0, p0), low1(a1, p1), low2(a2, p2));
    };
    default: return function (a0, a1, a2, a3) {
      if (arguments.length < 4) arityError(arguments.length);
      return run(low0(a0, p0), low1(a1, p1), low2(a2, p2), low3(a3, p3));
    };
  }
}
