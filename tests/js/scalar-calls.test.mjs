// All-scalar exports take a fast path: code generated per signature, or, where a page's
// CSP forbids code generation, the general path. Both must behave exactly alike:
// the same conversions, the same argument errors, the same traps and lockdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { disableCodegen } from '../../js/codegen.mjs';
import { watToBytes } from '../helpers/components.mjs';

// identity functions for each scalar type, plus a trapping one
const KINDS = [
  ['u8', 'i32'], ['s8', 'i32'], ['u16', 'i32'], ['s16', 'i32'], ['u32', 'i32'], ['s32', 'i32'],
  ['u64', 'i64'], ['s64', 'i64'], ['f32', 'f32'], ['f64', 'f64'], ['bool', 'i32'], ['char', 'i32'],
];
const component = await Component.compile(await watToBytes(`(component
  (core module $m
    ${KINDS.map(([, core]) => `(func (export "id-${core}") (param ${core}) (result ${core}) (local.get 0))`).filter((v, i, a) => a.indexOf(v) === i).join('\n')}
    (func (export "pair") (param i32 i32 i32) (result i32) (i32.add (local.get 0) (i32.add (local.get 1) (local.get 2))))
    (func (export "boom") (param i32) (result i32) unreachable))
  (core instance $i (instantiate $m))
  ${KINDS.map(([kind, core]) => `(func (export "id-${kind}") (param "x" ${kind}) (result ${kind}) (canon lift (core func $i "id-${core}")))`).join('\n')}
  (func (export "raw-u8") (param "x" u32) (result u8) (canon lift (core func $i "id-i32")))
  (func (export "raw-s8") (param "x" u32) (result s8) (canon lift (core func $i "id-i32")))
  (func (export "raw-bool") (param "x" u32) (result bool) (canon lift (core func $i "id-i32")))
  (func (export "raw-char") (param "x" u32) (result char) (canon lift (core func $i "id-i32")))
  (func (export "sum3") (param "a" u8) (param "b" u16) (param "c" s32) (result s32) (canon lift (core func $i "pair")))
  (func (export "boom") (param "x" u32) (result u32) (canon lift (core func $i "boom")))
)`));

function behaviour(exports) {
  assert.equal(exports.idU8(255), 255);
  assert.equal(exports.idS8(-128), -128);
  assert.equal(exports.idU16(65535), 65535);
  assert.equal(exports.idS16(-32768), -32768);
  assert.equal(exports.idU32(4294967295), 4294967295);
  assert.equal(exports.idS32(-2147483648), -2147483648);
  assert.equal(exports.idU64(18446744073709551615n), 18446744073709551615n);
  assert.equal(exports.idS64(-9223372036854775808n), -9223372036854775808n);
  assert.equal(exports.idF32(0.1), Math.fround(0.1));
  assert.ok(Number.isNaN(exports.idF64(NaN)));
  assert.equal(exports.idBool(true), true);
  assert.equal(exports.idChar('😀'), '😀');
  // results are truncated as the spec's lift does
  assert.equal(exports.rawU8(0x1ff), 0xff);
  assert.equal(exports.rawS8(0xff), -1);
  assert.equal(exports.rawBool(2), true);
  assert.equal(exports.sum3(1, 2, -3), 0);
  // argument errors name the parameter and run no guest code
  assert.throws(() => exports.idU8(256), (e) => e instanceof RangeError && /^x: 256 is not a valid u8/.test(e.message));
  assert.throws(() => exports.idS8(1.5), RangeError);
  assert.throws(() => exports.idU32(-1), RangeError);
  assert.throws(() => exports.idU32('1'), (e) => e instanceof TypeError && /^x: expected a u32 number/.test(e.message));
  assert.throws(() => exports.idBool(1), TypeError);
  assert.throws(() => exports.idChar('ab'), RangeError);
  assert.throws(() => exports.idChar('\ud800'), /lone surrogate/);
  assert.throws(() => exports.idU64(1.5), TypeError);
  assert.throws(() => exports.sum3(1, 2), /expected 3 arguments, got 2/);
  assert.throws(() => exports.sum3(1, 70000, 0), (e) => /^b: 70000 is not a valid u16/.test(e.message));
  // a bad result traps and locks down; so does a core trap
  assert.throws(() => exports.rawChar(0xd800), (e) => e instanceof ComponentTrap && /invalid `char`/.test(e.message));
  assert.throws(() => exports.idU8(1), /cannot enter component instance/);
}

test('generated trampolines', async () => {
  behaviour((await component.instantiate()).exports);
  const { exports } = await component.instantiate();
  assert.throws(() => exports.boom(1), WebAssembly.RuntimeError);
  assert.throws(() => exports.idU32(1), /cannot enter component instance/);
});

test('the general path (no code generation, as under a strict CSP)', async () => {
  disableCodegen();
  behaviour((await component.instantiate()).exports);
  const { exports } = await component.instantiate();
  assert.throws(() => exports.boom(1), WebAssembly.RuntimeError);
  assert.throws(() => exports.idU32(1), /cannot enter component instance/);
});

// The fast path leaves may_enter alone only where the host cannot run while the guest
// does. A host object's [Symbol.dispose] runs when the guest drops its last handle, so a
// component that imports a resource type (and no function) must still refuse a call back.
test('a call back from a host object disposed by the guest is refused as reentrance', async () => {
  const dropper = await Component.compile(await watToBytes(`(component
    (import "thing" (type $thing (sub resource)))
    (core func $drop (canon resource.drop $thing))
    (core module $m
      (import "" "drop" (func $drop (param i32)))
      (func (export "take") (param i32) (call $drop (local.get 0)))
      (func (export "probe") (result i32) (i32.const 7)))
    (core instance $i (instantiate $m (with "" (instance (export "drop" (func $drop))))))
    (func (export "take") (param "t" (own $thing)) (canon lift (core func $i "take")))
    (func (export "probe") (result u32) (canon lift (core func $i "probe"))))`));
  let exports;
  let inner = null;
  class Thing {
    [Symbol.dispose]() {
      try {
        exports.probe();
      } catch (e) {
        inner = e;
      }
    }
  }
  ({ exports } = await dropper.instantiate({ thing: Thing }));
  assert.equal(exports.probe(), 7);
  exports.take(new Thing());
  assert.ok(inner instanceof ComponentTrap && /cannot enter component instance/.test(inner.message), `${inner}`);
});
