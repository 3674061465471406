// Guest code that runs after its task returned (a callback after task.return, a thread it
// started) can trap when no call is waiting to hear of it. instantiate()'s `onTrap` is told
// of such a trap, once; by default it is reported as an uncaught error would be. And a
// task that only YIELDs keeps a Node process alive while a host caller awaits it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

// after-return(n): returns n at once, then YIELDs; its next callback traps.
// yield-many(n): YIELDs n times with nothing else pending, then returns n.
const wat = `(component
  (core func $return (canon task.return (result u32)))
  (core module $m
    (import "" "return" (func $return (param i32)))
    (global $left (mut i32) (i32.const 0))
    (global $n (mut i32) (i32.const 0))
    (func (export "after-return") (param $n i32) (result i32)
      (call $return (local.get $n))
      (i32.const 1))
    (func (export "after-return-cb") (param i32 i32 i32) (result i32) unreachable)
    (func (export "yield-many") (param $n i32) (result i32)
      (global.set $n (local.get $n))
      (global.set $left (local.get $n))
      (i32.const 1))
    (func (export "yield-many-cb") (param i32 i32 i32) (result i32)
      (global.set $left (i32.sub (global.get $left) (i32.const 1)))
      (if (i32.gt_s (global.get $left) (i32.const 0)) (then (return (i32.const 1))))
      (call $return (global.get $n))
      (i32.const 0))
    (func (export "ok") (result i32) (i32.const 1)))
  (core instance $i (instantiate $m (with "" (instance (export "return" (func $return))))))
  (func (export "after-return") async (param "n" u32) (result u32)
    (canon lift (core func $i "after-return") async (callback (core func $i "after-return-cb"))))
  (func (export "yield-many") async (param "n" u32) (result u32)
    (canon lift (core func $i "yield-many") async (callback (core func $i "yield-many-cb"))))
  (func (export "ok") (result u32) (canon lift (core func $i "ok"))))`;
const component = await Component.compile(await watToBytes(wat));

test('a trap after task.return reaches onTrap, once, and locks the instance', async () => {
  const traps = [];
  const { exports } = await component.instantiate({}, { onTrap: (e) => traps.push(e) });
  assert.equal(await exports.afterReturn(5), 5, 'the call itself returned');
  for (let i = 0; i < 5 && traps.length === 0; i++) await new Promise((r) => setImmediate(r));
  assert.equal(traps.length, 1);
  assert.ok(traps[0] instanceof ComponentTrap || traps[0] instanceof WebAssembly.RuntimeError);
  assert.match(traps[0].message, /unreachable/);
  assert.throws(() => exports.ok(), /cannot enter component instance/);
  assert.equal(traps.length, 1, 'told once');
});

test('onTrap must be a function', async () => {
  await assert.rejects(component.instantiate({}, { onTrap: 'log' }), /`onTrap` must be a function/);
});

// The default report and the keep-alive are about the whole process: run one of each.
function runScript(source) {
  const modules = fileURLToPath(new URL('../../js/index.mjs', import.meta.url));
  const helpers = fileURLToPath(new URL('../helpers/components.mjs', import.meta.url));
  const script = `import { Component } from ${JSON.stringify(modules)};
import { watToBytes } from ${JSON.stringify(helpers)};
const component = await Component.compile(await watToBytes(${JSON.stringify(wat)}));
${source}`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60000 });
}

test('by default, a trap no call waits for is reported on the console', () => {
  const r = runScript(`const { exports } = await component.instantiate();
console.log('returned', await exports.afterReturn(3));
await new Promise((r) => setTimeout(r, 50));`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /returned 3/);
  assert.match(r.stderr, /cmbridge: a component instance trapped with no call waiting for it/);
  assert.match(r.stderr, /unreachable/);
});

test('a task that only yields keeps Node alive until its Promise settles', () => {
  const r = runScript(`const { exports } = await component.instantiate();
console.log('settled', await exports.yieldMany(1000));`);
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  assert.equal(r.stdout.trim(), 'settled 1000');
});
