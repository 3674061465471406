// NaNs cross the boundary as the canonical one, as the spec's lift (canonicalize_nan32/64)
// and deterministic lower (maybe_scramble_nan32/64) make them: a guest's NaN payload does
// not reach the host or the next guest, and a host's does not reach the guest
// (tests/components/float-nans.wat; js/values/floats.mjs). Both export paths: the code
// generated for scalar signatures and, with code generation off, its closures
// (tests/js runs again with --disallow-code-generation-from-strings).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';

const { exports } = await (await Component.compile(await componentBytes('float-nans'))).instantiate();
const f32Bits = (x) => new Uint32Array(new Float32Array([x]).buffer)[0];
const f32WithBits = (bits) => new Float32Array(new Uint32Array([bits]).buffer)[0];
const f64WithBits = (bits) => new Float64Array(new BigUint64Array([bits]).buffer)[0];

test('a NaN with a payload probes as one here (the premise of these tests)', () => {
  // V8 keeps a NaN's bits through JS values: without canonicalization they would cross.
  assert.equal(f32Bits(f32WithBits(0x7fc00001)), 0x7fc00001);
});

test('a guest\'s NaN payload reaches neither the host nor the next call', () => {
  const x = exports.nanPayload();
  assert.ok(Number.isNaN(x));
  assert.equal(f32Bits(x), 0x7fc00000);
  assert.equal(exports.bits(x), 0x7fc00000);
  assert.equal(exports.bits64(exports.nanPayload64()), 0x7ff8000000000000n);
});

test('a host\'s NaN payload does not reach the guest', () => {
  assert.equal(exports.bits(f32WithBits(0x7fc00001)), 0x7fc00000);
  assert.equal(exports.bits(f32WithBits(0xffc12345)), 0x7fc00000);
  assert.equal(exports.bits64(f64WithBits(0x7ff8000000000001n)), 0x7ff8000000000000n);
  assert.equal(exports.bits(1.5), new Uint32Array(new Float32Array([1.5]).buffer)[0], 'other floats cross as they are');
});

test('lists of floats: each NaN made canonical, both ways; the host\'s own array untouched', () => {
  const lifted = exports.nanList();
  assert.ok(lifted instanceof Float32Array);
  assert.deepEqual([...new Uint32Array(lifted.buffer, lifted.byteOffset, 2)], [0x7fc00000, 0x3f800000]);
  const mine = new Float32Array(new Uint32Array([0x7fc00001, 0x3f800000]).buffer);
  assert.equal(exports.firstBits(mine), 0x7fc00000);
  assert.equal(new Uint32Array(mine.buffer)[0], 0x7fc00001, 'the host\'s array keeps its bits');
  assert.equal(exports.firstBits([f32WithBits(0x7fc00001)]), 0x7fc00000, 'from a plain array too');
});
