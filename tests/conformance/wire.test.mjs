// The wire format between Node and the conformance page (wire.mjs), checked in Node
// alone: every value comes back through JSON exactly as it went in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from './wire.mjs';

const viaJson = (value, refer, options) => decode(JSON.parse(JSON.stringify(encode(value, refer))), options);

function f64Bits(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}

test('numbers keep -0, infinities and the bits of a NaN', () => {
  assert.ok(Object.is(viaJson(-0), -0));
  assert.equal(viaJson(Infinity), Infinity);
  assert.equal(viaJson(-Infinity), -Infinity);
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, 0x7ff4000000000001n);
  const signalling = view.getFloat64(0);
  assert.equal(f64Bits(viaJson(signalling)), f64Bits(signalling));
  assert.equal(viaJson(0.1), 0.1);
});

test('bigints, undefined and null, lone surrogates', () => {
  assert.equal(viaJson(-(2n ** 63n)), -(2n ** 63n));
  assert.equal(viaJson(2n ** 64n - 1n), 2n ** 64n - 1n);
  assert.equal(viaJson(undefined), undefined);
  assert.equal(viaJson(null), null);
  assert.equal(viaJson('a\ud800b'), 'a\ud800b');
  assert.equal(viaJson('😀 é'), '😀 é');
});

test('typed arrays keep their class and bytes; a Buffer goes as a Uint8Array', () => {
  const f32 = new Float32Array([1.5, NaN, -0]);
  const back = viaJson(f32);
  assert.ok(back instanceof Float32Array);
  assert.deepEqual(new Uint8Array(back.buffer), new Uint8Array(f32.buffer));
  assert.deepEqual(viaJson(new BigInt64Array([-1n, 2n])), new BigInt64Array([-1n, 2n]));
  const slice = new Uint16Array([1, 2, 3, 4]).subarray(1, 3);
  assert.deepEqual(viaJson(slice), new Uint16Array([2, 3]));
  const buffer = viaJson(Buffer.from([1, 2]));
  assert.equal(buffer.constructor, Uint8Array);
  assert.deepEqual(buffer, new Uint8Array([1, 2]));
});

test('nested arrays and objects, with undefined members kept', () => {
  const value = { tag: 'some', val: [{ a: 1n, b: undefined }, [undefined, null], 'x'], __proto__: null };
  const back = viaJson(value);
  assert.deepEqual(back, { tag: 'some', val: [{ a: 1n, b: undefined }, [undefined, null], 'x'] });
  assert.ok('b' in back.val[0]);
});

test('errors keep their standard class, their own class name, message and payload', () => {
  class ComponentTrap extends WebAssembly.RuntimeError {}
  const trap = viaJson(new ComponentTrap('unreachable'));
  assert.ok(trap instanceof WebAssembly.RuntimeError);
  assert.equal(trap.constructor.name, 'ComponentTrap');
  assert.equal(trap.message, 'unreachable');
  const again = viaJson(new ComponentTrap('x'));
  assert.equal(again.constructor, trap.constructor, 'one class per name');

  for (const C of [WebAssembly.CompileError, WebAssembly.LinkError, TypeError, RangeError, Error]) {
    const e = viaJson(new C('why'));
    assert.equal(e.constructor, C);
    assert.equal(e.message, 'why');
  }

  const withPayload = Object.assign(new Error('returned an error'), { payload: { code: 7n } });
  assert.deepEqual(viaJson(withPayload).payload, { code: 7n });

  class Known extends Error {}
  const known = viaJson(new (class Named extends Error {})('m'), undefined, { errorClass: (name) => (name === 'Named' ? Known : undefined) });
  assert.ok(known instanceof Known);
});

test('functions and class instances go as handles, or not at all', () => {
  const f = () => 1;
  class Thing {}
  const thing = new Thing();
  const ids = new Map([[f, 1], [thing, 2]]);
  const refer = (v) => (ids.has(v) ? { id: ids.get(v), kind: typeof v } : undefined);
  const back = viaJson([f, thing], refer, { deref: ({ id }) => `handle ${id}` });
  assert.deepEqual(back, ['handle 1', 'handle 2']);
  assert.throws(() => encode(() => 2), /cannot send a function/);
  assert.throws(() => encode(new Map()), /cannot send a Map/);
  assert.throws(() => decode({ t: 'ref', id: 1, kind: 'function' }), /cannot be received/);
});
