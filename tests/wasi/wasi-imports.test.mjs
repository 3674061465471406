// wasiImports() and runCommand() without a toolchain: components in component text that
// import WASI at other 0.2.x versions than the shim's keys, the linker's version matching,
// exit codes, and bad options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap, instantiate } from '../../js/index.mjs';
import { WasiExit, runCommand, wasiImports, WASI_P2_VERSION } from '../../js/wasi/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

// A command built against WASI 0.2.0 (the shim's keys say 0.2.12). `run` reads the
// monotonic clock and random, then ends as `outcome` says: 0 returns ok, 1 returns err,
// 2 calls wasi:cli/exit(err). (A clock at 0 would exit early; it never is.)
const command = (outcome) => watToBytes(`(component
  (import "wasi:clocks/monotonic-clock@0.2.0" (instance $clock (export "now" (func (result u64)))))
  (import "wasi:random/random@0.2.0" (instance $random (export "get-random-u64" (func (result u64)))))
  (import "wasi:cli/exit@0.2.0" (instance $exit (export "exit" (func (param "status" (result))))))
  (core func $now (canon lower (func $clock "now")))
  (core func $random (canon lower (func $random "get-random-u64")))
  (core func $exit (canon lower (func $exit "exit")))
  (core module $M
    (import "wasi" "now" (func $now (result i64)))
    (import "wasi" "random" (func $random (result i64)))
    (import "wasi" "exit" (func $exit (param i32)))
    (func (export "run") (result i32)
      (if (i64.eqz (call $now)) (then (call $exit (i32.const 1))))
      (drop (call $random))
      (if (i32.eq (i32.const ${outcome}) (i32.const 2)) (then (call $exit (i32.const 1)) (unreachable)))
      (i32.const ${outcome})))
  (core instance $wasi (export "now" (func $now)) (export "random" (func $random)) (export "exit" (func $exit)))
  (core instance $m (instantiate $M (with "wasi" (instance $wasi))))
  (func $run (result (result)) (canon lift (core func $m "run")))
  (instance $run (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run))
)`);

test('keys carry the shim version; every 0.2.x import links to them', async () => {
  const imports = wasiImports();
  assert.ok(`wasi:cli/stdout@${WASI_P2_VERSION}` in imports);
  assert.ok(Object.keys(imports).every((k) => k.endsWith(`@${WASI_P2_VERSION}`)));
  assert.equal(await runCommand(await command(0)), 0, 'a 0.2.0 command links with 0.2.12 keys');
});

test('run: ok is 0, err is 1, wasi:cli/exit(err) is 1', async () => {
  assert.equal(await runCommand(await command(0)), 0);
  assert.equal(await runCommand(await command(1)), 1);
  assert.equal(await runCommand(await command(2)), 1);
});

test('exit-with-code (WASI 0.2.12, unstable feature cli-exit-with-code): that code', async () => {
  const exitWithCode = await watToBytes(`(component
    (import "wasi:cli/exit@0.2.12" (instance $exit (export "exit-with-code" (func (param "status-code" u8)))))
    (core func $exit (canon lower (func $exit "exit-with-code")))
    (core module $M
      (import "wasi" "exit" (func $exit (param i32)))
      (func (export "run") (result i32) (call $exit (i32.const 42)) (unreachable)))
    (core instance $m (instantiate $M (with "wasi" (instance (export "exit" (func $exit))))))
    (func $run (result (result)) (canon lift (core func $m "run")))
    (instance $run (export "run" (func $run)))
    (export "wasi:cli/run@0.2.12" (instance $run)))`);
  assert.equal(await runCommand(exitWithCode), 42);
});

test('exit outside runCommand: a trap whose cause is a WasiExit; the process goes on', async () => {
  const { exports } = await instantiate(await command(2), wasiImports());
  assert.throws(() => exports['wasi:cli/run@0.2.0'].run(), (e) => e instanceof ComponentTrap && e.cause instanceof WasiExit && e.cause.code === 1);
  assert.throws(() => exports['wasi:cli/run@0.2.0'].run(), /cannot enter component instance/, 'an exited instance stays exited');
});

test('runCommand: a component that is not a command is a TypeError', async () => {
  const plain = await watToBytes('(component)');
  await assert.rejects(runCommand(plain), (e) => e instanceof TypeError && /wasi:cli\/run/.test(e.message));
});

test('bad options are TypeErrors naming the option', () => {
  assert.throws(() => wasiImports({ argv: [] }), /unknown WASI option `argv`/);
  assert.throws(() => wasiImports({ args: 'a b' }), /`args` must be an array of strings/);
  assert.throws(() => wasiImports({ env: { A: 1 } }), /`env`: the value of `A` must be a string/);
  assert.throws(() => wasiImports({ preopens: ['/tmp'] }), /`preopens` must be an object/);
  assert.throws(() => wasiImports({ network: 'yes' }), /`network` must be a boolean/);
  assert.throws(() => wasiImports(7), /must be an object/);
});

// ---- the linker's version matching, with a host interface of our own ------------------

const importing = (name) => watToBytes(`(component
  (import "${name}" (instance $i (export "get" (func (result u32)))))
  (core func $get (canon lower (func $i "get")))
  (core module $M (import "i" "get" (func $get (result i32))) (func (export "get") (result i32) (call $get)))
  (core instance $m (instantiate $M (with "i" (instance (export "get" (func $get))))))
  (func (export "get") (result u32) (canon lift (core func $m "get")))
)`);

async function linked(importName, imports) {
  const component = await Component.compile(await importing(importName));
  const { exports } = await component.instantiate(imports);
  return exports.get();
}

const serving = (value) => ({ get: () => value });

test('versions: the exact key first, else the newest compatible, else an unversioned key', async () => {
  assert.equal(await linked('test:pkg/i@0.2.3', { 'test:pkg/i@0.2.3': serving(1), 'test:pkg/i@0.2.9': serving(2) }), 1);
  assert.equal(await linked('test:pkg/i@0.2.3', { 'test:pkg/i@0.2.1': serving(1), 'test:pkg/i@0.2.10': serving(2), 'test:pkg/i@0.2.9': serving(3) }), 2);
  assert.equal(await linked('test:pkg/i@1.0.0', { 'test:pkg/i@1.4.2': serving(4) }), 4, 'same major');
  assert.equal(await linked('test:pkg/i@0.2.3', { 'test:pkg/i': serving(5) }), 5);
  assert.equal(await linked('test:pkg/i@0.2.3', { 'test:pkg/i@0.3.0': serving(6), 'test:pkg/i': serving(7) }), 7);
});

test('versions: incompatible ones do not link', async () => {
  for (const [want, have] of [
    ['test:pkg/i@0.2.3', 'test:pkg/i@0.3.3'],
    ['test:pkg/i@1.0.0', 'test:pkg/i@2.0.0'],
    ['test:pkg/i@0.0.1', 'test:pkg/i@0.0.2'],
    ['test:pkg/i@0.3.0-rc-1', 'test:pkg/i@0.3.0'],
    ['test:pkg/i@0.3.0', 'test:pkg/i@0.3.0-rc-1'],
    ['test:pkg/i@0.2.3', 'test:other/i@0.2.3'],
  ]) {
    await assert.rejects(linked(want, { [have]: serving(0) }), (e) => e instanceof WebAssembly.LinkError && e.message.includes(want), `${want} from ${have}`);
  }
});
