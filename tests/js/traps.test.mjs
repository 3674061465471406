// A hostile or buggy guest: every bad pointer, length, discriminant, char or string it
// hands back is a trap with the spec's reason (a ComponentTrap, which is a
// WebAssembly.RuntimeError); the instance is then locked down and other instances go on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

// A component whose export `f` has type `ty` and whose core function returns the i32 `ret`
// after storing `words` (pairs [address, i32]) into its memory.
async function returning(ty, ret, words = [], { encoding = 'utf8' } = {}) {
  const stores = words.map(([addr, v]) => `(i32.store (i32.const ${addr}) (i32.const ${v}))`).join(' ');
  const bytes = await watToBytes(`(component
    (core module $m
      (memory (export "memory") 1)
      (data (i32.const 100) "\\ff\\fe")
      (data (i32.const 200) "ok")
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 1024))
      (func (export "ok") (result i32) (i32.const 1024))
      (func (export "f") (result i32) ${stores} (i32.const ${ret})))
    (core instance $i (instantiate $m))
    (func (export "f") (result ${ty})
      (canon lift (core func $i "f") string-encoding=${encoding}
        (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
    (func (export "ok") (result u32) (canon lift (core func $i "ok")))
  )`);
  return Component.compile(bytes);
}

async function assertTrap(component, pattern) {
  const { exports } = await component.instantiate({});
  assert.throws(() => exports.f(), (e) => {
    assert.ok(e instanceof ComponentTrap, `expected a ComponentTrap, got ${e}`);
    assert.ok(e instanceof WebAssembly.RuntimeError);
    assert.match(e.message, pattern);
    return true;
  });
  return exports;
}

test('a string out of bounds traps', async () => {
  await assertTrap(await returning('string', 0, [[0, 65530], [4, 100]]), /string content out-of-bounds/);
});

test('invalid UTF-8 traps', async () => {
  await assertTrap(await returning('string', 0, [[0, 100], [4, 2]]), /invalid utf-8/);
});

test('a misaligned UTF-16 string traps, and unpaired surrogates trap', async () => {
  await assertTrap(await returning('string', 0, [[0, 101], [4, 1]], { encoding: 'utf16' }), /unaligned pointer/);
  const surrogate = await watToBytes(`(component
    (core module $m (memory (export "memory") 1) (data (i32.const 100) "\\00\\d8")
      (func (export "f") (result i32) (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 1)) (i32.const 0)))
    (core instance $i (instantiate $m))
    (func (export "f") (result string) (canon lift (core func $i "f") string-encoding=utf16 (memory (core memory $i "memory")))))`);
  await assertTrap(await Component.compile(surrogate), /invalid utf-16/);
});

test('a string longer than 2^28-1 bytes traps', async () => {
  await assertTrap(await returning('string', 0, [[0, 0], [4, 2 ** 28]]), /out-of-bounds|too long/);
});

test('a spilled result pointer out of bounds or misaligned traps', async () => {
  await assertTrap(await returning('string', 65532), /out of bounds|beyond/);
  await assertTrap(await returning('string', 2), /unaligned pointer/);
});

test('a list out of bounds traps; a misaligned list<u32> traps', async () => {
  await assertTrap(await returning('(list u8)', 0, [[0, 65000], [4, 1000]]), /out of bounds/);
  await assertTrap(await returning('(list u32)', 0, [[0, 2], [4, 1]]), /unaligned pointer/);
});

test('an out-of-range char traps', async () => {
  await assertTrap(await returning('char', 0xd800), /invalid `char` bit pattern/);
  await assertTrap(await returning('char', 0x110000), /invalid `char` bit pattern/);
});

test('an out-of-range discriminant traps', async () => {
  await assertTrap(await returning('(option u8)', 0, [[0, 2]]), /invalid variant discriminant/);
  const en = await watToBytes(`(component
    (type $e (enum "a" "b"))
    (export $e2 "e" (type $e))
    (core module $m (func (export "f") (result i32) (i32.const 2)))
    (core instance $i (instantiate $m))
    (func (export "f") (result $e2) (canon lift (core func $i "f"))))`);
  await assertTrap(await Component.compile(en), /invalid variant discriminant/);
});

test('a trap locks the instance down; other instances go on', async () => {
  const component = await returning('char', 0xd800);
  const exports = await assertTrap(component, /char/);
  assert.throws(() => exports.ok(), /cannot enter component instance/);
  const fresh = await component.instantiate({});
  assert.equal(fresh.exports.ok(), 1024);
});

test('a core trap (unreachable) is a RuntimeError and locks down', async () => {
  const component = await Component.compile(await watToBytes(`(component
    (core module $m (func (export "boom") unreachable) (func (export "ok") (result i32) (i32.const 1)))
    (core instance $i (instantiate $m))
    (func (export "boom") (canon lift (core func $i "boom")))
    (func (export "ok") (result u32) (canon lift (core func $i "ok"))))`));
  const { exports } = await component.instantiate({});
  assert.throws(() => exports.boom(), WebAssembly.RuntimeError);
  assert.throws(() => exports.ok(), /cannot enter component instance/);
});

test('re-entering an instance from a host import traps', async () => {
  const component = await Component.compile(await watToBytes(`(component
    (import "cb" (func $cb))
    (core func $cb (canon lower (func $cb)))
    (core module $m (import "" "cb" (func $cb)) (func (export "run") (call $cb)) (func (export "ok") (result i32) (i32.const 7)))
    (core instance $i (instantiate $m (with "" (instance (export "cb" (func $cb))))))
    (func (export "run") (canon lift (core func $i "run")))
    (func (export "ok") (result u32) (canon lift (core func $i "ok"))))`));
  let inner;
  const { exports } = await component.instantiate({ cb: () => { try { exports.ok(); } catch (e) { inner = e; throw e; } } });
  assert.throws(() => exports.run(), ComponentTrap);
  assert.match(inner.message, /cannot enter component instance/);
});

test('arguments beyond the parameters are ignored, as core wasm exports ignore them', async () => {
  const component = await returning('u32', 7);
  const { exports } = await component.instantiate({});
  assert.equal(exports.f(1, 'two'), 7);
  assert.equal(exports.ok(), 1024);
});

// A guest that fails inside a function the host calls on its behalf: the trap names it
// (the WASI preview1 adapter's realloc refuses all but one exact allocation, and a user
// seeing only "unreachable" could not tell why).
test('a trap inside the guest\'s realloc or post-return says so', async () => {
  const component = await Component.compile(await watToBytes(`(component
    (core module $m
      (memory (export "memory") 1)
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
      (func (export "take") (param i32 i32))
      (func (export "give") (result i32) (i32.const 7))
      (func (export "give-post") (param i32) unreachable))
    (core instance $i (instantiate $m))
    (func (export "take") (param "s" string)
      (canon lift (core func $i "take") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
    (func (export "give") (result u32)
      (canon lift (core func $i "give") (post-return (core func $i "give-post")))))`));
  const first = (await component.instantiate()).exports;
  assert.throws(() => first.take('héllo'), (e) => e instanceof ComponentTrap &&
    /^the guest trapped inside its realloc \(realloc\(0, 0, 1, 6\) for a string\): unreachable/.test(e.message) &&
    e.cause instanceof WebAssembly.RuntimeError);
  assert.throws(() => first.give(), /cannot enter component instance/);
  const second = (await component.instantiate()).exports;
  assert.throws(() => second.give(), (e) => e instanceof ComponentTrap &&
    /^the guest trapped inside its post-return \(after `give` returned\): unreachable/.test(e.message));
});

test('a trap of core wasm reaches the caller as a ComponentTrap, the engine\'s error as its cause', async () => {
  const component = await Component.compile(await watToBytes(`(component
    (core module $m
      (func (export "boom") (result i32) unreachable)
      (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))
    (core instance $i (instantiate $m))
    (func (export "boom") (result u32) (canon lift (core func $i "boom")))
    (func (export "div") (param "x" u32) (result u32) (canon lift (core func $i "div"))))`));
  for (const call of [(e) => e.boom(), (e) => e.div(0)]) {
    const { exports } = await component.instantiate();
    assert.throws(() => call(exports), (e) => {
      assert.ok(e instanceof ComponentTrap, `${e?.constructor?.name}: ${e?.message}`);
      assert.ok(e.cause instanceof WebAssembly.RuntimeError && !(e.cause instanceof ComponentTrap));
      assert.equal(e.message, e.cause.message);
      return true;
    });
    assert.throws(() => exports.div(1), (e) => e instanceof ComponentTrap && /cannot enter component instance/.test(e.message));
  }
});
