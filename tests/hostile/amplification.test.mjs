// Amplification: a guest may legally return a list whose elements all point at one large
// string (or list) in its memory. Lifting copies it once per element, so a small guest can
// make the host allocate without bound, until the JS engine dies of an out-of-memory error
// that no host can catch. The instantiate option maxLiftedBytes (default 2^29) caps the
// bytes one lift copies out of guest memory: past it, lifting traps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';
import { assertContained } from './contain.mjs';

const MiB = 1 << 20;

// amplify(n) -> list<string>: n entries, all (65536, 1 MiB): one 1 MiB string of NULs
// (valid UTF-8) at 64 KiB. bytes(n) -> list<list<u8>>: the same, as byte lists.
// probe() -> 42.
const bytes = await watToBytes(`(component
  (core module $m
    (memory (export "memory") 18)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
    (func $entries (param $n i32) (result i32)
      (local $i i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.add (i32.const 8) (i32.mul (local.get $i) (i32.const 8))) (i32.const 65536))
        (i32.store (i32.add (i32.const 12) (i32.mul (local.get $i) (i32.const 8))) (i32.const ${MiB}))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (i32.store (i32.const 0) (i32.const 8))
      (i32.store (i32.const 4) (local.get $n))
      (i32.const 0))
    (func (export "amplify") (param i32) (result i32) (call $entries (local.get 0)))
    (func (export "probe") (result i32) (i32.const 42)))
  (core instance $i (instantiate $m))
  (func (export "amplify") (param "n" u32) (result (list string))
    (canon lift (core func $i "amplify") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
  (func (export "bytes") (param "n" u32) (result (list (list u8)))
    (canon lift (core func $i "amplify") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
  (func (export "probe") (result u32) (canon lift (core func $i "probe")))
)`);
const probe = (exports) => exports.probe() === 42;

test('lifting past maxLiftedBytes traps, naming the option; under it, the value arrives', async () => {
  const options = { maxLiftedBytes: 8 * MiB };
  const { exports } = await (await Component.compile(bytes)).instantiate({}, options);
  const strings = exports.amplify(7);
  assert.equal(strings.length, 7);
  assert.equal(strings[6].length, MiB);
  assert.equal(exports.bytes(7)[6].length, MiB);
  for (const misuse of [(e) => e.amplify(9), (e) => e.bytes(9)]) {
    await assertContained({
      bytes, probe, options, misuse, error: ComponentTrap, locked: true,
      message: /lifting the result would copy more than 8388608 bytes out of guest memory \(the instance's maxLiftedBytes\)/,
    });
  }
});

test('the limit counts per lift: many calls under it each succeed', async () => {
  const { exports } = await (await Component.compile(bytes)).instantiate({}, { maxLiftedBytes: 3 * MiB });
  for (let i = 0; i < 20; i++) assert.equal(exports.amplify(2).length, 2);
});

test('maxLiftedBytes must be a whole number of bytes', async () => {
  const component = await Component.compile(bytes);
  for (const bad of [-1, 1.5, '8', NaN, null]) {
    await assert.rejects(component.instantiate({}, { maxLiftedBytes: bad }), TypeError);
  }
  const { exports } = await component.instantiate({}, { maxLiftedBytes: Infinity });
  assert.equal(exports.amplify(3).length, 3);
});
