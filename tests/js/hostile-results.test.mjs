// A hostile guest returning garbage: for each result type, fill the guest's memory with
// random bytes and let an export hand back pointers into it. Lifting must either produce
// a value or fail with a ComponentTrap (the spec's trap); never a different error, and
// never a crash. Deterministic: a fixed seed per round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const RESULT_TYPES = {
  str: 'string',
  bytes: '(list u8)',
  strs: '(list string)',
  rec: '(tuple u8 string (list u16) char f64)',
  opt: '(option (option (list string)))',
  res: '(result (list char) (error string))',
  var: '(list $v)',
  flags: '(tuple (list bool) (list s64))',
};

const component = await Component.compile(await watToBytes(`(component
  (type $v-def (variant (case "a" u8) (case "b" string) (case "c" f32) (case "d")))
  (export $v "v" (type $v-def))
  (core module $m
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 32768))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
      (global.set $heap (i32.add (local.get $p) (local.get 3)))
      (local.get $p))
    ;; poke(bytes): copy them to address 0, reset the heap
    (func (export "poke") (param $p i32) (param $n i32)
      (memory.copy (i32.const 0) (local.get $p) (local.get $n))
      (global.set $heap (i32.const 32768)))
    ;; at(ptr): return ptr (a pointer to a spilled result somewhere in the garbage)
    (func (export "at") (param i32) (result i32) (local.get 0)))
  (core instance $i (instantiate $m))
  (func (export "poke") (param "b" (list u8))
    (canon lift (core func $i "poke") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
  ${Object.entries(RESULT_TYPES).map(([name, ty]) => `(func (export "${name}") (param "ptr" u32) (result ${ty})
    (canon lift (core func $i "at") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))`).join('\n')}
)`));

// xorshift32
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

test('garbage in guest memory lifts to a value or traps, never anything else', async () => {
  let values = 0;
  let traps = 0;
  for (let round = 0; round < 60; round++) {
    const next = rng(0x9e3779b9 + round);
    // Small numbers are common in real memory: bias the bytes toward them so lists and
    // strings sometimes point inside the 32 KiB we fill.
    const garbage = new Uint8Array(32768).map(() => { const r = next(); return r % 4 === 0 ? r >>> 24 : (r >>> 8) % 8; });
    for (const name of Object.keys(RESULT_TYPES)) {
      const { exports } = await component.instantiate();
      exports.poke(garbage);
      const ptr = (next() % 64) * 8;
      try {
        exports[name](ptr);
        values++;
      } catch (e) {
        if (!(e instanceof ComponentTrap)) {
          assert.fail(`round ${round}, ${name}(${ptr}): expected a value or a ComponentTrap, got ${e?.constructor?.name}: ${e?.message}`);
        }
        traps++;
      }
    }
  }
  assert.ok(values > 0 && traps > 0, `both outcomes occur (values ${values}, traps ${traps})`);
});
