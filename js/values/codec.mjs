// Per-type converters between JS values (jco's mapping, see README "Values") and the
// Canonical ABI's two representations: flat core values and bytes in guest memory.
//
// The engine (C++) has already computed every type's layout — size, alignment, field
// offsets, discriminant size, payload offset, flat core types — and sent it with the
// plan; here we only build, once per type, small closures that apply it. A codec is
//   check(v, path)            throws TypeError/RangeError if v does not fit (no guest runs)
//   lowerFlat(ctx, v, out)    appends v's flat core values to `out`
//   liftFlat(ctx, flat, pos)  reads the value from flat[pos .. pos + flatCount)
//   store(ctx, v, ptr)        writes v at guest address ptr (already checked)
//   load(ctx, ptr)            reads the value at guest address ptr (already checked)
// `ctx` is a call's CallContext (js/runtime/call-context.mjs): memory, realloc, string
// encoding, the component instance (handles).
import { canonicalNaN, canonicalizeNaNs } from './floats.mjs';
import { ErrorContext, trap } from '../errors.mjs';
import { lowerCamelCase } from '../names.mjs';
import { loadString, storeString } from './strings.mjs';
import { GuestString } from './guest-strings.mjs';
import { streamCodec } from './stream-codec.mjs';
import { callRealloc } from './memory.mjs';

const MAX_LIST_BYTE_LENGTH = 2 ** 28 - 1;
const MAX_STRING_BYTE_LENGTH = 2 ** 28 - 1;

function listTooLong(path, length, elemSize) {
  return new RangeError(`${path}: list too long: ${length} elements of ${elemSize} bytes exceed the Canonical ABI's 2^28-1 bytes`);
}

const f32Scratch = new DataView(new ArrayBuffer(8));
function i32BitsToF32(i) {
  f32Scratch.setInt32(0, i, true);
  return f32Scratch.getFloat32(0, true);
}
function f32ToI32Bits(f) {
  f32Scratch.setFloat32(0, f, true);
  return f32Scratch.getInt32(0, true);
}
function i64BitsToF64(i) {
  f32Scratch.setBigInt64(0, BigInt.asIntN(64, i), true);
  return f32Scratch.getFloat64(0, true);
}
function f64ToI64Bits(f) {
  f32Scratch.setFloat64(0, f, true);
  return f32Scratch.getBigInt64(0, true);
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'Object'})`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function typeError(path, expected, v) {
  return new TypeError(`${path}: expected ${expected}, got ${describe(v)}`);
}

// ---- integers ----------------------------------------------------------------------------

const INTEGER_RANGES = {
  u8: [0, 0xff], s8: [-0x80, 0x7f], u16: [0, 0xffff], s16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff], s32: [-0x80000000, 0x7fffffff],
};
const LIFT_SMALL = {
  u8: (v) => v & 0xff,
  s8: (v) => (v << 24) >> 24,
  u16: (v) => v & 0xffff,
  s16: (v) => (v << 16) >> 16,
  u32: (v) => v >>> 0,
  s32: (v) => v | 0,
};
const LOAD_SMALL = {
  u8: (dv, p) => dv.getUint8(p), s8: (dv, p) => dv.getInt8(p),
  u16: (dv, p) => dv.getUint16(p, true), s16: (dv, p) => dv.getInt16(p, true),
  u32: (dv, p) => dv.getUint32(p, true), s32: (dv, p) => dv.getInt32(p, true),
};
const STORE_SMALL = {
  u8: (dv, p, v) => dv.setUint8(p, v), s8: (dv, p, v) => dv.setInt8(p, v),
  u16: (dv, p, v) => dv.setUint16(p, v, true), s16: (dv, p, v) => dv.setInt16(p, v, true),
  u32: (dv, p, v) => dv.setUint32(p, v, true), s32: (dv, p, v) => dv.setInt32(p, v, true),
};

function smallIntCodec(kind) {
  const [min, max] = INTEGER_RANGES[kind];
  const lift = LIFT_SMALL[kind];
  const load = LOAD_SMALL[kind];
  const store = STORE_SMALL[kind];
  const fail = (v, path) => {
    if (typeof v !== 'number') throw typeError(path, `a ${kind} number`, v);
    throw new RangeError(`${path}: ${v} is not a valid ${kind} (an integer in ${min}..${max})`);
  };
  // `lift(v) === v` holds exactly for the integers in range: the truncation the spec's
  // lift applies is the identity on them, and changes anything else (NaN, fractions,
  // out-of-range values, non-numbers). One comparison on the hot path.
  const check = (v, path) => {
    if (lift(v) !== v) fail(v, path);
  };
  return {
    check,
    // Scalars convert in one step, so lowerFlat checks too (callers may skip check()).
    lowerFlat(ctx, v, out) { if (lift(v) !== v) fail(v, ctx.path); out.push(v | 0); },
    lowerOne(v, path) { if (lift(v) !== v) fail(v, path); return v | 0; },
    liftFlat: (ctx, flat, pos) => lift(flat[pos]),
    liftOne: lift,
    store: (ctx, v, ptr) => store(ctx.mem.view, ptr, v),
    load: (ctx, ptr) => load(ctx.mem.view, ptr),
  };
}

function bigIntCodec(kind) {
  const signed = kind === 's64';
  const min = signed ? -(2n ** 63n) : 0n;
  const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
  const toBigInt = (v, path) => {
    if (typeof v === 'number' && Number.isSafeInteger(v)) v = BigInt(v);
    else if (typeof v !== 'bigint') throw typeError(path, `a ${kind} bigint`, v);
    if (v < min || v > max) throw new RangeError(`${path}: ${v} is not a valid ${kind}`);
    return v;
  };
  const lift = signed ? (v) => BigInt.asIntN(64, v) : (v) => BigInt.asUintN(64, v);
  return {
    check: toBigInt,
    lowerFlat(ctx, v, out) { out.push(toBigInt(v, ctx.path)); },
    lowerOne: toBigInt,
    liftFlat: (ctx, flat, pos) => lift(flat[pos]),
    liftOne: lift,
    store: (ctx, v, ptr) => ctx.mem.view.setBigUint64(ptr, BigInt.asUintN(64, toBigInt(v, ctx.path)), true),
    load: signed ? (ctx, ptr) => ctx.mem.view.getBigInt64(ptr, true) : (ctx, ptr) => ctx.mem.view.getBigUint64(ptr, true),
  };
}

function floatCodec(kind) {
  const is32 = kind === 'f32';
  const check = (v, path) => {
    if (typeof v !== 'number') throw typeError(path, `an ${kind} number`, v);
  };
  const lowerOne = is32 ? (v, path) => { check(v, path); return canonicalNaN(Math.fround(v)); } : (v, path) => { check(v, path); return canonicalNaN(v); };
  return {
    check,
    lowerFlat(ctx, v, out) { out.push(lowerOne(v, ctx.path)); },
    lowerOne,
    liftFlat: (ctx, flat, pos) => canonicalNaN(flat[pos]),
    liftOne: canonicalNaN,
    store: is32 ? (ctx, v, ptr) => ctx.mem.view.setFloat32(ptr, canonicalNaN(v), true) : (ctx, v, ptr) => ctx.mem.view.setFloat64(ptr, canonicalNaN(v), true),
    load: is32 ? (ctx, ptr) => canonicalNaN(ctx.mem.view.getFloat32(ptr, true)) : (ctx, ptr) => canonicalNaN(ctx.mem.view.getFloat64(ptr, true)),
  };
}

const boolCodec = {
  check(v, path) { if (typeof v !== 'boolean') throw typeError(path, 'a boolean', v); },
  lowerFlat(ctx, v, out) { boolCodec.check(v, ctx.path); out.push(v ? 1 : 0); },
  lowerOne(v, path) { boolCodec.check(v, path); return v ? 1 : 0; },
  liftFlat: (ctx, flat, pos) => flat[pos] !== 0,
  liftOne: (v) => v !== 0,
  store: (ctx, v, ptr) => ctx.mem.view.setUint8(ptr, v ? 1 : 0),
  load: (ctx, ptr) => ctx.mem.view.getUint8(ptr) !== 0,
};

function liftChar(i) {
  const cp = i >>> 0;
  if (cp >= 0x110000 || (cp >= 0xd800 && cp <= 0xdfff)) trap(`invalid \`char\` bit pattern: ${cp}`);
  return String.fromCodePoint(cp);
}
function checkChar(v, path) {
  if (typeof v !== 'string') throw typeError(path, 'a one-character string', v);
  const cp = v.codePointAt(0);
  if (cp === undefined || v.length !== (cp > 0xffff ? 2 : 1)) throw new RangeError(`${path}: expected exactly one Unicode scalar value, got ${describe(v)}`);
  if (cp >= 0xd800 && cp <= 0xdfff) throw new RangeError(`${path}: a lone surrogate (U+${cp.toString(16).toUpperCase()}) is not a char`);
  return cp;
}
const charCodec = {
  check: checkChar,
  lowerFlat(ctx, v, out) { out.push(checkChar(v, ctx.path)); },
  lowerOne: checkChar,
  liftFlat: (ctx, flat, pos) => liftChar(flat[pos]),
  liftOne: liftChar,
  store: (ctx, v, ptr) => ctx.mem.view.setUint32(ptr, v.codePointAt(0), true),
  load: (ctx, ptr) => liftChar(ctx.mem.view.getUint32(ptr, true)),
};

function checkString(v, path) {
  if (v instanceof GuestString) return;  // lifted from another guest, already checked
  if (typeof v !== 'string') throw typeError(path, 'a string', v);
  // Every encoding takes at least a byte per UTF-16 unit. (A UTF-8 guest's string of up to
  // 3 bytes per unit can still exceed the limit when lowered; store_string traps then.)
  if (v.length > MAX_STRING_BYTE_LENGTH) throw new RangeError(`${path}: string too long: ${v.length} UTF-16 units exceed the Canonical ABI's 2^28-1 bytes`);
  if (!v.isWellFormed()) throw new RangeError(`${path}: string contains a lone surrogate`);
}
const stringCodec = {
  check: checkString,
  lowerFlat(ctx, v, out) {
    checkString(v, ctx.path);
    const [ptr, units] = storeString(ctx, v);
    out.push(ptr | 0, units | 0);
  },
  liftFlat: (ctx, flat, pos) => loadString(ctx, flat[pos], flat[pos + 1]),
  store(ctx, v, ptr) {
    const [p, units] = storeString(ctx, v);
    const view = ctx.mem.refresh().view;
    view.setUint32(ptr, p, true);
    view.setUint32(ptr + 4, units, true);
  },
  load(ctx, ptr) {
    const view = ctx.mem.view;
    return loadString(ctx, view.getUint32(ptr, true), view.getUint32(ptr + 4, true));
  },
};

// ---- the codec table ---------------------------------------------------------------------

const TYPED_ARRAYS = {
  u8: Uint8Array, s8: Int8Array, u16: Uint16Array, s16: Int16Array, u32: Uint32Array,
  s32: Int32Array, u64: BigUint64Array, s64: BigInt64Array, f32: Float32Array, f64: Float64Array,
};

export class Codecs {
  /** `types`: the plan's type table (with layout); `resources`: js/runtime/resources.mjs. */
  constructor(types, resources) {
    this.types = types;
    this.resources = resources;
    this.cache = new Array(types.length);
  }

  get(index) {
    return (this.cache[index] ??= this.build(this.types[index]));
  }

  build(t) {
    switch (t.kind) {
      case 'bool': return withLayout(boolCodec, t);
      case 'u8': case 's8': case 'u16': case 's16': case 'u32': case 's32': return withLayout(smallIntCodec(t.kind), t);
      case 'u64': case 's64': return withLayout(bigIntCodec(t.kind), t);
      case 'f32': case 'f64': return withLayout(floatCodec(t.kind), t);
      case 'char': return withLayout(charCodec, t);
      case 'string': return withLayout(stringCodec, t);
      case 'list': return this.list(t);
      case 'fixed-list': return this.fixedList(t);
      case 'record': return this.record(t, (f) => lowerCamelCase(f.name), false);
      case 'tuple': return this.record(t, (f, i) => i, true);
      case 'flags': return flags(t);
      case 'enum': return this.variant(t, enumForm(t));
      case 'variant': return this.variant(t, taggedForm(t, (name) => name));
      // jco's mapping, which real hosts are written against: a result's cases always carry
      // `val`, even `ok` of `result<_, E>` (`{ tag: 'ok', val: undefined }`).
      case 'result': return this.variant(t, taggedForm(t, (name) => (name === 'error' ? 'err' : name), true));
      case 'option': return this.variant(t, this.optionForm(t));
      case 'own': case 'borrow': return this.handle(t);
      case 'error-context': return withLayout(errorContextCodec(this.resources.store), t);
      case 'stream': case 'future': return streamCodec(this, t);
      default: return unsupported(t);
    }
  }

  // option<T> is `undefined` or the value; but option<option<T>> (and any T whose JS
  // value can itself be undefined) is tagged, or none and some(none) would collide.
  optionForm(t) {
    const payload = this.types[t.cases[1].type];
    if (payload.kind === 'option') return taggedForm(t, (name) => name);
    return {
      caseOf(v) { return v === undefined || v === null ? 0 : 1; },
      payloadOf(v) { return v; },
      make(index, val) { return index === 0 ? undefined : val; },
    };
  }

  list(t) {
    const elem = this.get(t.element);
    const elemType = this.types[t.element];
    const elemSize = elemType.size;
    const elemAlign = elemType.align;
    const Typed = TYPED_ARRAYS[elemType.kind];
    const isFloat = elemType.kind === 'f32' || elemType.kind === 'f64';
    // The length is checked before any element is read: an array-like may be huge or a
    // Proxy whose every read costs, and an over-long list must be a RangeError here, before
    // the guest's realloc runs, not a trap in the middle of lowering.
    const check = (v, path) => {
      if (Typed && v instanceof Typed) {
        if (v.byteLength > MAX_LIST_BYTE_LENGTH) throw listTooLong(path, v.length, elemSize);
        return;
      }
      if (v == null || typeof v !== 'object' || typeof v.length !== 'number') throw typeError(path, `a list (array${Typed ? ` or ${Typed.name}` : ''})`, v);
      const length = v.length;
      if (!Number.isSafeInteger(length) || length < 0) throw new TypeError(`${path}: a list's length must be a whole number, got ${length}`);
      if (length * elemSize > MAX_LIST_BYTE_LENGTH) throw listTooLong(path, length, elemSize);
      for (let i = 0; i < length; i++) elem.check(v[i], `${path}[${i}]`);
    };
    const liftRange = (ctx, ptr, length) => {
      ptr >>>= 0;
      length >>>= 0;
      if (length * elemSize > MAX_LIST_BYTE_LENGTH) trap('list too long: byte length exceeds 2^28-1');
      ctx.mem.checkRange(ptr, length * elemSize, elemAlign, 'list pointer');
      ctx.chargeLift(length * elemSize);
      const mem = ctx.mem.refresh();
      if (Typed) {
        const copy = mem.bytes.slice(ptr, ptr + length * elemSize);
        const values = new Typed(copy.buffer, 0, length);
        return isFloat ? canonicalizeNaNs(values) : values;
      }
      const out = new Array(length);
      for (let i = 0; i < length; i++) out[i] = elem.load(ctx, ptr + i * elemSize);
      return out;
    };
    const lowerRange = (ctx, v) => {
      const length = v.length;
      if (length * elemSize > MAX_LIST_BYTE_LENGTH) throw new RangeError(`${ctx.path}: list too long`);
      const ptr = callRealloc(ctx, 0, 0, elemAlign, length * elemSize);
      const mem = ctx.mem.refresh();
      if (Typed && v instanceof Typed) {
        mem.bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), ptr);
        if (isFloat) canonicalizeNaNs(new Typed(mem.bytes.buffer, ptr, length));
      } else {
        for (let i = 0; i < length; i++) {
          elem.store(ctx, v[i], ptr + i * elemSize);
          ctx.mem.refresh();
        }
      }
      return ptr;
    };
    return {
      ...layout(t),
      check,
      lowerFlat(ctx, v, out) {
        check(v, ctx.path);
        out.push(lowerRange(ctx, v) | 0, v.length);
      },
      liftFlat: (ctx, flat, pos) => liftRange(ctx, flat[pos], flat[pos + 1]),
      store(ctx, v, ptr) {
        const p = lowerRange(ctx, v);
        const view = ctx.mem.refresh().view;
        view.setUint32(ptr, p, true);
        view.setUint32(ptr + 4, v.length, true);
      },
      load(ctx, ptr) {
        const view = ctx.mem.view;
        return liftRange(ctx, view.getUint32(ptr, true), view.getUint32(ptr + 4, true));
      },
    };
  }

  fixedList(t) {
    const elem = this.get(t.element);
    const elemType = this.types[t.element];
    const n = t.length;
    const elemFlat = elemType.flat.length;
    return {
      ...layout(t),
      check(v, path) {
        if (v == null || typeof v.length !== 'number') throw typeError(path, `a list of ${n} elements`, v);
        if (v.length !== n) throw new RangeError(`${path}: expected exactly ${n} elements, got ${v.length}`);
        for (let i = 0; i < n; i++) elem.check(v[i], `${path}[${i}]`);
      },
      lowerFlat(ctx, v, out) { for (let i = 0; i < n; i++) elem.lowerFlat(ctx, v[i], out); },
      liftFlat(ctx, flat, pos) {
        const out = new Array(n);
        for (let i = 0; i < n; i++) out[i] = elem.liftFlat(ctx, flat, pos + i * elemFlat);
        return out;
      },
      store(ctx, v, ptr) { for (let i = 0; i < n; i++) elem.store(ctx, v[i], ptr + i * elemType.size); },
      load(ctx, ptr) {
        const out = new Array(n);
        for (let i = 0; i < n; i++) out[i] = elem.load(ctx, ptr + i * elemType.size);
        return out;
      },
    };
  }

  // Records (objects keyed by lowerCamelCase field names) and tuples (arrays).
  record(t, keyOf, isTuple) {
    const fields = t.fields.map((f, i) => ({
      key: keyOf(f, i),
      codec: this.get(f.type),
      offset: f.offset,
      flatCount: this.types[f.type].flat.length,
      label: isTuple ? `[${i}]` : `.${lowerCamelCase(f.name)}`,
    }));
    const check = (v, path) => {
      if (isTuple) {
        if (!Array.isArray(v)) throw typeError(path, `a tuple (array of ${fields.length})`, v);
        if (v.length !== fields.length) throw new RangeError(`${path}: expected a tuple of ${fields.length} elements, got ${v.length}`);
      } else if (v === null || typeof v !== 'object') {
        throw typeError(path, 'a record (object)', v);
      }
      for (const f of fields) f.codec.check(v[f.key], path + f.label);
    };
    return {
      ...layout(t),
      check,
      lowerFlat(ctx, v, out) {
        if (v === null || typeof v !== 'object') throw typeError(ctx.path, isTuple ? 'a tuple (array)' : 'a record (object)', v);
        for (const f of fields) f.codec.lowerFlat(ctx, v[f.key], out);
      },
      liftFlat(ctx, flat, pos) {
        const out = isTuple ? new Array(fields.length) : {};
        for (const f of fields) {
          out[f.key] = f.codec.liftFlat(ctx, flat, pos);
          pos += f.flatCount;
        }
        return out;
      },
      store(ctx, v, ptr) { for (const f of fields) f.codec.store(ctx, v[f.key], ptr + f.offset); },
      load(ctx, ptr) {
        const out = isTuple ? new Array(fields.length) : {};
        for (const f of fields) out[f.key] = f.codec.load(ctx, ptr + f.offset);
        return out;
      },
    };
  }

  // Variants, enums, options and results share one codec; `form` says how the JS value
  // names its case and carries its payload.
  variant(t, form) {
    const joined = t.flat.slice(1);
    const cases = t.cases.map((c) => {
      const payloadType = c.type === null ? null : this.types[c.type];
      return {
        name: c.name,
        codec: payloadType ? this.get(c.type) : null,
        flat: payloadType ? payloadType.flat : [],
      };
    });
    const discSize = t.discSize;
    const payloadOffset = t.payloadOffset;
    const loadDisc = discSize === 1 ? (dv, p) => dv.getUint8(p) : discSize === 2 ? (dv, p) => dv.getUint16(p, true) : (dv, p) => dv.getUint32(p, true);
    const storeDisc = discSize === 1 ? (dv, p, v) => dv.setUint8(p, v) : discSize === 2 ? (dv, p, v) => dv.setUint16(p, v, true) : (dv, p, v) => dv.setUint32(p, v, true);
    const caseIndex = (v, path) => {
      const i = form.caseOf(v, path);
      if (i === -1) throw new TypeError(`${path}: ${describe(v)} is not a case of ${t.kind} (${cases.map((c) => c.name).join(', ')})`);
      return i;
    };
    const checkDisc = (i) => {
      if (i >= cases.length) trap(`invalid variant discriminant: ${i} (the type has ${cases.length} cases)`);
    };
    return {
      ...layout(t),
      check(v, path) {
        const i = caseIndex(v, path);
        const c = cases[i];
        if (c.codec) c.codec.check(form.payloadOf(v), `${path}(${c.name})`);
      },
      lowerFlat(ctx, v, out) {
        const i = caseIndex(v, ctx.path);
        out.push(i);
        const c = cases[i];
        const start = out.length;
        if (c.codec) c.codec.lowerFlat(ctx, form.payloadOf(v), out);
        // Coerce the payload's flat values to the joined types, then pad with zeros.
        for (let j = 0; j < joined.length; j++) {
          const have = c.flat[j];
          const want = joined[j];
          if (have === undefined) out.push(want === 'i64' ? 0n : 0);
          else if (have !== want) out[start + j] = coerceForLower(out[start + j], have, want);
        }
      },
      liftFlat(ctx, flat, pos) {
        const i = flat[pos] >>> 0;
        checkDisc(i);
        const c = cases[i];
        if (!c.codec) return form.make(i, undefined);
        const payload = new Array(c.flat.length);
        for (let j = 0; j < c.flat.length; j++) payload[j] = coerceForLift(flat[pos + 1 + j], joined[j], c.flat[j]);
        return form.make(i, c.codec.liftFlat(ctx, payload, 0));
      },
      store(ctx, v, ptr) {
        const i = caseIndex(v, ctx.path);
        storeDisc(ctx.mem.view, ptr, i);
        const c = cases[i];
        if (c.codec) c.codec.store(ctx, form.payloadOf(v), ptr + payloadOffset);
      },
      load(ctx, ptr) {
        const i = loadDisc(ctx.mem.view, ptr);
        checkDisc(i);
        const c = cases[i];
        return form.make(i, c.codec ? c.codec.load(ctx, ptr + payloadOffset) : undefined);
      },
    };
  }

  handle(t) {
    const resources = this.resources;
    if (!resources) return unsupported(t);
    return { ...layout(t), ...resources.codec(t) };
  }
}

// Variant-like JS forms.
function taggedForm(t, jsName, alwaysVal = false) {
  const names = t.cases.map((c) => jsName(c.name));
  const index = new Map(names.map((n, i) => [n, i]));
  t.cases.forEach((c, i) => index.set(c.name, i));  // the exact case name works too
  return {
    caseOf(v) {
      if (v === null || typeof v !== 'object' || typeof v.tag !== 'string') return -1;
      return index.get(v.tag) ?? -1;
    },
    payloadOf(v) { return v.val; },
    make(i, val) { return val === undefined && t.cases[i].type === null && !alwaysVal ? { tag: names[i] } : { tag: names[i], val }; },
  };
}

function enumForm(t) {
  const names = t.cases.map((c) => c.name);
  const index = new Map(names.map((n, i) => [n, i]));
  return {
    caseOf(v) { return typeof v === 'string' ? (index.get(v) ?? -1) : -1; },
    payloadOf() { return undefined; },
    make(i) { return names[i]; },
  };
}

function flags(t) {
  const keys = t.labels.map(lowerCamelCase);
  const size = t.size;
  const toBits = (v, path) => {
    if (v === null || typeof v !== 'object') throw typeError(path, 'a flags object of booleans', v);
    let bits = 0;
    for (let i = 0; i < keys.length; i++) if (v[keys[i]] ?? v[t.labels[i]]) bits |= 1 << i;
    return bits;
  };
  const fromBits = (bits) => {
    const out = {};
    for (let i = 0; i < keys.length; i++) out[keys[i]] = ((bits >>> i) & 1) === 1;
    return out;
  };
  return {
    ...layout(t),
    check: toBits,
    lowerFlat(ctx, v, out) { out.push(toBits(v, ctx.path)); },
    lowerOne: toBits,
    liftFlat: (ctx, flat, pos) => fromBits(flat[pos]),
    liftOne: fromBits,
    store(ctx, v, ptr) {
      const bits = toBits(v, ctx.path);
      const dv = ctx.mem.view;
      if (size === 1) dv.setUint8(ptr, bits);
      else if (size === 2) dv.setUint16(ptr, bits, true);
      else dv.setUint32(ptr, bits, true);
    },
    load(ctx, ptr) {
      const dv = ctx.mem.view;
      return fromBits(size === 1 ? dv.getUint8(ptr) : size === 2 ? dv.getUint16(ptr, true) : dv.getUint32(ptr, true));
    },
  };
}

// error-context: a handle in the instance's table. Lifting leaves the sender's handle in
// place (error-contexts are shared, immutable values) and gives JS an ErrorContext; any
// Error or string lowers to a new one with that message.
function errorContextCodec(store) {
  const messageOf = (v, path) => {
    if (typeof v === 'string') return v;
    if (v instanceof Error) return v.message;
    throw typeError(path, 'an Error (or a string) for an error-context', v);
  };
  const lower = (ctx, v) => store.errorContextNew(ctx.instance.index, messageOf(v, ctx.path));
  const lift = (ctx, i) => new ErrorContext(store.errorContextMessage(ctx.instance.index, i >>> 0));
  return {
    check: messageOf,
    lowerFlat(ctx, v, out) { out.push(lower(ctx, v)); },
    liftFlat: (ctx, flat, pos) => lift(ctx, flat[pos]),
    store(ctx, v, ptr) { ctx.mem.refresh().view.setUint32(ptr, lower(ctx, v), true); },
    load: (ctx, ptr) => lift(ctx, ctx.mem.view.getUint32(ptr, true)),
  };
}

function unsupported(t) {
  const fail = () => { throw new TypeError(`values of type ${t.kind} are not supported yet`); };
  return { ...layout(t), check: fail, lowerFlat: fail, liftFlat: fail, store: fail, load: fail };
}

function layout(t) {
  return { type: t, size: t.size, align: t.align, flatCount: t.flat.length };
}

function withLayout(codec, t) {
  return { ...codec, ...layout(t) };
}

// The spec's lift_flat_variant / lower_flat_variant coercions between a case's own flat
// types and the variant's joined ones (spec-digest §1.4).
function coerceForLift(v, have, want) {
  if (have === want) return v;
  if (have === 'i32' && want === 'f32') return canonicalNaN(i32BitsToF32(v));
  if (have === 'i64' && want === 'i32') return Number(BigInt.asIntN(32, v));
  if (have === 'i64' && want === 'f32') return canonicalNaN(i32BitsToF32(Number(BigInt.asIntN(32, v))));
  if (have === 'i64' && want === 'f64') return canonicalNaN(i64BitsToF64(v));
  return v;
}

function coerceForLower(v, have, want) {
  if (have === 'f32' && want === 'i32') return f32ToI32Bits(canonicalNaN(v));
  if (have === 'i32' && want === 'i64') return BigInt(v >>> 0);
  if (have === 'f32' && want === 'i64') return BigInt(f32ToI32Bits(canonicalNaN(v)) >>> 0);
  if (have === 'f64' && want === 'i64') return f64ToI64Bits(canonicalNaN(v));
  return v;
}
