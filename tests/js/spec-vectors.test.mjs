// Replays the spec oracle's vectors (tests/native/vectors/*.json, made from the spec's
// Python reference by tests/native/oracle/gen_vectors.py; tests/native/vectors_test.cpp
// replays them through the C++ engine) through the JS codecs, the code that converts
// values on every call. Per vector: lifting the given core values from the given memory
// must trap where the reference traps; otherwise lowering what was lifted into a fresh
// memory must make the same realloc calls, give the same core values and leave the same
// bytes, or trap where the reference traps.
//
// Types and layouts come from the engine, as in use: each vector's types become the
// parameters of a lowered import in a small component whose plan the engine makes. Strings
// lift in guest form (GuestString), as between two components, so that lowering them runs
// the spec's transcoding and its realloc calls; a host string would choose its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Component } from '../../js/index.mjs';
import { loadEngine } from '../../js/engine-loader.mjs';
import { CallContext } from '../../js/runtime/call-context.mjs';
import { Codecs } from '../../js/values/codec.mjs';
import { GuestMemory, callRealloc } from '../../js/values/memory.mjs';
import { watToBytes } from '../helpers/components.mjs';

const vectorsDir = new URL('../native/vectors/', import.meta.url);
const engine = await loadEngine();

// ---- the vector's types as component text -------------------------------------------------

// Records, variants, enums and flags need a name where a component's imports use them:
// each becomes a type import (`(eq $d)` of its definition) of its own, declared in
// `decls`, innermost first.
function typeText(t, decls) {
  if (typeof t === 'string') return t;
  const sub = (u) => typeText(u, decls);
  const named = (text) => {
    if (!decls) return text;
    const k = decls.length;
    decls.push(`(type $d${k} ${text}) (import "t${k}" (type $t${k} (eq $d${k})))`);
    return `$t${k}`;
  };
  if ('list' in t) return t.len === undefined ? `(list ${sub(t.list)})` : `(list ${sub(t.list)} ${t.len})`;
  if ('tuple' in t) return `(tuple ${t.tuple.map(sub).join(' ')})`;
  if ('option' in t) return `(option ${sub(t.option)})`;
  if ('result' in t) {
    const [ok, err] = t.result;
    return `(result${ok === null ? '' : ` ${sub(ok)}`}${err === null ? '' : ` (error ${sub(err)})`})`;
  }
  if ('record' in t) return named(`(record ${t.record.map((u, i) => `(field "f${i}" ${sub(u)})`).join(' ')})`);
  if ('variant' in t) return named(`(variant ${t.variant.map((u, i) => (u === null ? `(case "c${i}")` : `(case "c${i}" ${sub(u)})`)).join(' ')})`);
  if ('enum' in t) return named(`(enum ${Array.from({ length: t.enum }, (_, i) => `"e${i}"`).join(' ')})`);
  if ('flags' in t) return named(`(flags ${Array.from({ length: t.flags }, (_, i) => `"l${i}"`).join(' ')})`);
  throw new Error(`unknown vector type ${JSON.stringify(t)}`);
}

// The plan's type indices, layouts and parameter tuple for a list of types (cached).
const plans = new Map();
async function planFor(types) {
  const key = JSON.stringify(types);
  if (!plans.has(key)) {
    const decls = [];
    const params = types.map((t, i) => `(param "p${i}" ${typeText(t, decls)})`).join(' ');
    const bytes = await watToBytes(`(component
      ${decls.join('\n      ')}
      (import "f" (func $f ${params}))
      (core module $m
        (memory (export "mem") 1)
        (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (core func (canon lower (func $f) (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`);
    const { plan } = await Component.compile(bytes);
    const ft = plan.funcTypes[plan.lowered[0].callee.type];
    plans.set(key, { plan, params: ft.params.map((p) => p.type), tuple: ft.paramTuple });
  }
  return plans.get(key);
}

// ---- memories, realloc and core values as the reference's test harness has them ------------

// A memory of exactly `size` bytes (a WebAssembly.Memory comes in 64 KiB pages); `grow`
// replaces its buffer as memory.grow does, detaching the old one.
class ExactMemory {
  constructor(size, fill) {
    this.buffer = new ArrayBuffer(size);
    new Uint8Array(this.buffer).fill(fill);
  }

  grow(size) {
    const old = this.buffer;
    const next = new ArrayBuffer(size);
    new Uint8Array(next).set(new Uint8Array(old));
    structuredClone(old, { transfer: [old] });  // detach, as growth does
    this.buffer = next;
  }

  get bytes() {
    return new Uint8Array(this.buffer);
  }
}

const alignTo = (p, a) => Math.ceil(p / a) * a;

// gen_vectors.py Heap: a scripted realloc that logs its calls.
function scriptedRealloc(memory, start, policy, log) {
  let next = start;
  const bump = (align, size) => {
    const r = alignTo(next, align);
    next = r + size;
    return r;
  };
  const copy = (from, to, n) => {
    const bytes = memory.bytes;
    if (from >= bytes.length || to >= bytes.length) return;
    n = Math.min(n, bytes.length - from, bytes.length - to);
    bytes.copyWithin(to, from, from + n);
  };
  const allocate = (oldPtr, oldSize, align, newSize) => {
    switch (policy) {
      case 'oob': return 0xfffffff0;
      case 'misaligned': return bump(align, newSize + 1) + 1;
      case 'inplace':
        if (oldPtr !== 0 && newSize <= oldSize) return oldPtr;
      // falls through
      case 'bump': {
        const r = bump(align, newSize);
        if (oldPtr !== 0) copy(oldPtr, r, Math.min(oldSize, newSize));
        return r;
      }
      case 'nocopy': {
        const r = bump(align, newSize);
        memory.bytes.fill(0xee, r, Math.min(r + newSize, memory.bytes.length));
        return r;
      }
      case 'grow': {
        const r = bump(align, newSize);
        if (r + newSize > memory.bytes.length) memory.grow(alignTo(r + newSize, 64));
        if (oldPtr !== 0) copy(oldPtr, r, Math.min(oldSize, newSize));
        return r;
      }
      default: throw new Error(`unknown realloc policy ${policy}`);
    }
  };
  return (oldPtr, oldSize, align, newSize) => {
    const r = allocate(oldPtr, oldSize, align, newSize);
    log.push([oldPtr, oldSize, align, newSize, r]);
    return r;
  };
}

function applyRuns(bytes, runs) {
  for (const [offset, hex] of runs) bytes.set(Buffer.from(hex, 'hex'), offset);
}

const bitsView = new DataView(new ArrayBuffer(8));

// [["i32","170"], ["f32","1065353216"], ...] -> the values wasm would pass to JS.
function coreValues(flat) {
  return flat.map(([type, bits]) => {
    const b = BigInt(bits);
    switch (type) {
      case 'i32': return Number(BigInt.asIntN(32, b));
      case 'i64': return BigInt.asIntN(64, b);
      case 'f32': bitsView.setUint32(0, Number(b), true); return bitsView.getFloat32(0, true);
      default: bitsView.setBigUint64(0, b, true); return bitsView.getFloat64(0, true);
    }
  });
}

// Core values back to [type, unsigned bits] pairs.
function coreBits(values, types) {
  return values.map((v, i) => {
    switch (types[i]) {
      case 'i32': return ['i32', String(v >>> 0)];
      case 'i64': return ['i64', String(BigInt.asUintN(64, BigInt(v)))];
      case 'f32': bitsView.setFloat32(0, v, true); return ['f32', String(bitsView.getUint32(0, true))];
      default: bitsView.setFloat64(0, v, true); return ['f64', String(bitsView.getBigUint64(0, true))];
    }
  });
}

// A CallContext over `memory` (an ExactMemory) for the encoding and realloc given.
function contextFor(memory, encoding, realloc) {
  const runtime = { engine, maxLiftedBytes: 2 ** 29, usesContext: false };
  const opts = {
    runtime,
    options: { stringEncoding: encoding, memory: {} },
    instance: { index: 0, mayLeave: true },
    stringEncoding: encoding,
    mem: new GuestMemory(memory),
    realloc,
    postReturn: null,
  };
  return new CallContext(opts, true);
}

const isTrap = (e) => e instanceof WebAssembly.RuntimeError;

// ---- one vector -----------------------------------------------------------------------------

// Returns a description of the first difference from the reference, or ''.
async function replay(c) {
  const { plan, params, tuple } = await planFor(c.types);
  const codecs = new Codecs(plan.types, null);
  const ts = params.map((i) => codecs.get(i));
  const flatCount = params.reduce((n, i) => n + plan.types[i].flat.length, 0);

  // src: [encoding, size, memory runs, max_flat, flat]
  const [srcEncoding, srcSize, srcRuns, srcMaxFlat, srcFlat] = c.src;
  const srcMemory = new ExactMemory(srcSize, 0);
  applyRuns(srcMemory.bytes, srcRuns);
  const lift = contextFor(srcMemory, srcEncoding, null);
  let values;
  try {
    lift.startLift();
    const flat = coreValues(srcFlat);
    if (flatCount > srcMaxFlat) {
      const ptr = flat[0] >>> 0;
      lift.mem.checkRange(ptr, tuple.size, tuple.align, 'tuple pointer');
      values = ts.map((codec, i) => codec.load(lift, ptr + tuple.offsets[i]));
    } else {
      let pos = 0;
      values = ts.map((codec) => {
        const v = codec.liftFlat(lift, flat, pos);
        pos += codec.flatCount;
        return v;
      });
    }
  } catch (e) {
    if (!isTrap(e)) throw e;
    return typeof c.lift === 'string' ? '' : `lift: unexpected trap: ${e.message}`;
  }
  if (typeof c.lift === 'string') return 'lift: expected a trap, got values';

  // dst: [encoding, size, heap start, realloc policy, max_flat, out-param pointer or null]
  const [dstEncoding, dstSize, heapStart, policy, dstMaxFlat, outPtr] = c.dst;
  const dstMemory = new ExactMemory(dstSize, 0xaa);
  const log = [];
  const lower = contextFor(dstMemory, dstEncoding, scriptedRealloc(dstMemory, heapStart, policy, log));
  let lowered;
  let lowerTrap = null;
  try {
    if (flatCount > dstMaxFlat) {
      const ptr = outPtr === null ? callRealloc(lower, 0, 0, tuple.align, tuple.size, 'arguments') : outPtr;
      lowered = outPtr === null ? [ptr] : [];
      lower.mem.checkRange(ptr, tuple.size, tuple.align, 'tuple pointer');
      ts.forEach((codec, i) => codec.store(lower, values[i], ptr + tuple.offsets[i]));
    } else {
      lowered = [];
      ts.forEach((codec, i) => codec.lowerFlat(lower, values[i], lowered));
    }
  } catch (e) {
    if (!isTrap(e)) throw e;
    lowerTrap = e;
  }
  const expect = c.lower;
  const expectLog = JSON.stringify(expect.realloc);
  if (JSON.stringify(log) !== expectLog) return `realloc log differs: expected ${expectLog}, got ${JSON.stringify(log)}`;
  if ('trap' in expect) return lowerTrap ? '' : 'lower: expected a trap';
  if (lowerTrap) return `lower: unexpected trap: ${lowerTrap.message}`;
  const flatTypes = flatCount > dstMaxFlat ? lowered.map(() => 'i32') : params.flatMap((i) => plan.types[i].flat);
  const gotFlat = JSON.stringify(coreBits(lowered, flatTypes));
  if (gotFlat !== JSON.stringify(expect.flat)) return `lower flat: expected ${JSON.stringify(expect.flat)}, got ${gotFlat}`;
  const expectMemory = new Uint8Array(expect.size);
  expectMemory.fill(0xaa, 0, Math.min(dstSize, expect.size));
  applyRuns(expectMemory, expect.memory);
  const got = dstMemory.bytes;
  if (got.length !== expectMemory.length) return `memory size: expected ${expectMemory.length}, got ${got.length}`;
  const at = got.findIndex((b, i) => b !== expectMemory[i]);
  if (at !== -1) return `memory differs at offset ${at}: expected ${expectMemory[at]}, got ${got[at]}`;
  return '';
}

for (const name of ['strings.json', 'values.json', 'fuzz.json']) {
  test(`the spec's vectors replay through the JS codecs: ${name}`, async () => {
    const cases = JSON.parse(readFileSync(new URL(name, vectorsDir), 'utf8'));
    assert.ok(cases.length > 0, `no vectors in ${name}`);
    const failures = [];
    for (const [i, c] of cases.entries()) {
      const err = await replay(c);
      if (err) failures.push(`case ${i} (${c.types.map(typeText).join(', ')}): ${err}`);
    }
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${cases.length} cases differ`);
  });
}
