// The CLI: `cmbridge run component.wasm --invoke 'add(1, 2)'` prints `3`; errors go to
// stderr with exit code 1.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { componentBytes, watToBytes } from '../helpers/components.mjs';

const cli = new URL('../../js/cli.mjs', import.meta.url).pathname;
let dir;

function run(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cmbridge-cli-'));
  await writeFile(path.join(dir, 'add.wasm'), await componentBytes('add'));
  await writeFile(path.join(dir, 'values.wasm'), await watToBytes(`(component
    (core module $m
      (memory (export "memory") 1)
      (data (i32.const 0) "hi")
      (func (export "maybe") (param i32) (result i32)
        (i32.store8 (i32.const 16) (local.get 0))
        (i32.store8 (i32.const 17) (i32.const 7))
        (i32.const 16))
      (func (export "word") (result i32)
        (i32.store (i32.const 8) (i32.const 0))
        (i32.store (i32.const 12) (i32.const 2))
        (i32.const 8)))
    (core instance $i (instantiate $m))
    (func (export "check") (param "ok" bool) (result (result (error u8)))
      (canon lift (core func $i "maybe") (memory (core memory $i "memory"))))
    (func (export "word") (result string)
      (canon lift (core func $i "word") (memory (core memory $i "memory"))))
  )`));
});

test('run --invoke prints the result in WAVE', async () => {
  assert.deepEqual(await run('run', path.join(dir, 'add.wasm'), '--invoke', 'add(1, 2)'), { code: 0, stdout: '3\n', stderr: '' });
  assert.equal((await run('run', path.join(dir, 'values.wasm'), '--invoke', 'word()')).stdout, '"hi"\n');
});

test('a function returning result<_, E> prints ok/err', async () => {
  assert.equal((await run('run', path.join(dir, 'values.wasm'), '--invoke', 'check(false)')).stdout, 'ok\n');
  assert.equal((await run('run', path.join(dir, 'values.wasm'), '--invoke', 'check(true)')).stdout, 'err(7)\n');
});

test('errors go to stderr with exit code 1', async () => {
  const bad = await run('run', path.join(dir, 'add.wasm'), '--invoke', 'add(1, -2)');
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /argument `b`.*out of range for u32/);
  const missing = await run('run', path.join(dir, 'add.wasm'), '--invoke', 'sub(1)');
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'cmbridge: the component exports no function `sub`; it exports add\n', 'the callable names, not the usage text');
  const nofile = await run('run', path.join(dir, 'nope.wasm'), '--invoke', 'f()');
  assert.equal(nofile.code, 1);
  assert.match(nofile.stderr, /ENOENT|no such file/);
  const usage = await run('frobnicate');
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /unknown command `frobnicate`/);
});

test('--invoke finds a function of an exported interface by its name alone, or with the interface named in full, unversioned or short', async () => {
  await writeFile(path.join(dir, 'interfaces.wasm'), await watToBytes(`(component
    (core module $m
      (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
      (func (export "sub") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1))))
    (core instance $i (instantiate $m))
    (func $add (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
    (func $sub (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "sub")))
    (instance $adder (export "add" (func $add)) (export "sub-it" (func $sub)))
    (instance $other (export "sub-it" (func $sub)))
    (export "docs:adder/add@0.1.0" (instance $adder))
    (export "docs:other/minus" (instance $other)))`));
  const file = path.join(dir, 'interfaces.wasm');
  for (const call of ['add(1, 2)', 'docs:adder/add@0.1.0#add(1, 2)', 'docs:adder/add#add(1, 2)', 'add#add(1, 2)']) {
    assert.deepEqual(await run('run', file, '--invoke', call), { code: 0, stdout: '3\n', stderr: '' }, call);
  }
  assert.equal((await run('run', file, '--invoke', 'minus#subIt(5, 2)')).stdout, '3\n', 'lowerCamelCase names too');
  const ambiguous = await run('run', file, '--invoke', 'sub-it(5, 2)');
  assert.equal(ambiguous.code, 1);
  assert.equal(ambiguous.stderr, 'cmbridge: more than one exported interface has a function `sub-it`: say which (docs:adder/add@0.1.0#subIt, docs:other/minus#subIt)\n');
  const noInterface = await run('run', file, '--invoke', 'docs:adder/nope#add(1, 2)');
  assert.equal(noInterface.stderr, 'cmbridge: the component exports no interface `docs:adder/nope`; it exports docs:adder/add@0.1.0#add, docs:adder/add@0.1.0#subIt, docs:other/minus#subIt\n');
  const noFunction = await run('run', file, '--invoke', 'add#mul(1, 2)');
  assert.match(noFunction.stderr, /^cmbridge: the interface `docs:adder\/add@0.1.0` has no function `mul`; it exports /);
});

// A component with imports of its own: `greet(name)` calls the host's `get-name` (an
// interface import) and `log`, and returns the length of the name the host gave.
const withImports = `(component
  (import "local:demo/host" (instance $host
    (export "get-name" (func (result string)))
    (export "count" (func (param "n" u32) (result u64)))))
  (import "log" (func $log (param "msg" string)))
  (alias export $host "get-name" (func $get-name))
  (core module $libc (memory (export "memory") 1)
    (global $top (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32) (local.set $p (global.get $top))
      (global.set $top (i32.add (global.get $top) (local.get 3))) (local.get $p))
    (data (i32.const 0) "hello"))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
  (core func $get-name (canon lower (func $get-name) (memory $mem) (realloc $realloc)))
  (core func $log (canon lower (func $log) (memory $mem)))
  (core module $m
    (import "" "memory" (memory 1))
    (import "" "get-name" (func $get-name (param i32)))
    (import "" "log" (func $log (param i32 i32)))
    (func (export "run") (result i32)
      (call $log (i32.const 0) (i32.const 5))
      (call $get-name (i32.const 16))
      (i32.load (i32.const 20))))
  (core instance $i (instantiate $m (with "" (instance (export "memory" (memory $mem)) (export "get-name" (func $get-name)) (export "log" (func $log))))))
  (func (export "greet") (result u32) (canon lift (core func $i "run"))))`;

test('--imports gives the component imports from an ES module; --stub-imports stubs the rest, printing their calls', async () => {
  const file = path.join(dir, 'with-imports.wasm');
  await writeFile(file, await watToBytes(withImports));
  await writeFile(path.join(dir, 'host.mjs'), "export default { 'local:demo/host': { getName: () => 'Ada Lovelace' } };\n");
  await writeFile(path.join(dir, 'not-an-object.mjs'), 'export default 42;\n');

  const missing = await run('run', file, '--invoke', 'greet()');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /LinkError: .*local:demo\/host/);

  const stubbed = await run('run', '--stub-imports', file, '--invoke', 'greet()');
  assert.deepEqual(stubbed, { code: 0, stdout: '0\n', stderr: 'cmbridge: stub log("hello")\ncmbridge: stub local:demo/host#get-name()\n' },
    'the stub of get-name returned "" (length 0)');

  const partly = await run('run', '--imports', path.join(dir, 'host.mjs'), '--stub-imports', file, '--invoke', 'greet()');
  assert.deepEqual(partly, { code: 0, stdout: '12\n', stderr: 'cmbridge: stub log("hello")\n' }, 'the module\'s getName, a stub for log only');

  const notStubbed = await run('run', '--imports', path.join(dir, 'host.mjs'), file, '--invoke', 'greet()');
  assert.equal(notStubbed.code, 1);
  assert.match(notStubbed.stderr, /LinkError: .*`log`/);

  const badModule = await run('run', '--imports', path.join(dir, 'not-an-object.mjs'), file, '--invoke', 'greet()');
  assert.equal(badModule.stderr, `cmbridge: --imports \`${path.join(dir, 'not-an-object.mjs')}\`: its default export must be an imports object, got number\n`);
  const serving = await run('serve', '--stub-imports', file);
  assert.equal(serving.code, 1);
  assert.match(serving.stderr, /^cmbridge: --imports and --stub-imports are options of run, not of serve\n/);
  const noModule = await run('run', '--imports', path.join(dir, 'nope.mjs'), file, '--invoke', 'greet()');
  assert.equal(noModule.stderr, `cmbridge: --imports \`${path.join(dir, 'nope.mjs')}\`: no such module\n`);
});

test('zeroOf: the zero value of each kind of type; none for handles and streams', async () => {
  const { zeroOf } = await import('../../js/tools/stub-imports.mjs');
  assert.equal(zeroOf({ kind: 'u64' }), 0n);
  assert.equal(zeroOf({ kind: 'string' }), '');
  assert.deepEqual(zeroOf({ kind: 'record', fields: [{ name: 'big-x', type: { kind: 'f64' } }, { name: 'ok', type: { kind: 'bool' } }] }), { bigX: 0, ok: false });
  assert.deepEqual(zeroOf({ kind: 'variant', cases: [{ name: 'none-yet', type: null }, { name: 'n', type: { kind: 'u8' } }] }), { tag: 'none-yet', val: undefined });
  assert.equal(zeroOf({ kind: 'enum', labels: ['red', 'green'] }), 'red');
  assert.deepEqual(zeroOf({ kind: 'list', element: { kind: 'u8' }, length: 2 }), [0, 0]);
  assert.deepEqual(zeroOf({ kind: 'result', cases: [{ name: 'ok', type: { kind: 's32' } }, { name: 'err', type: null }] }), { tag: 'ok', val: 0 });
  assert.throws(() => zeroOf({ kind: 'own', resource: 0 }), /own/);
  assert.throws(() => zeroOf({ kind: 'stream', element: null }), /stream/);
});

test('withStubs: what instantiate would find (a compatible version, a lowerCamelCase name) is not stubbed', async () => {
  const { withStubs } = await import('../../js/tools/stub-imports.mjs');
  const { Component } = await import('../../js/index.mjs');
  const component = await Component.compile(await watToBytes(`(component
    (import "wasi:cli/environment@0.2.0" (instance (export "initial-cwd" (func (result (option string)))) (export "get-arguments" (func (result (list string))))))
    (import "do-it" (func))
    (import "other" (func (result u8))))`));
  const cwd = () => '/here';
  const doIt = () => {};
  const calls = [];
  const imports = withStubs(component, { 'wasi:cli/environment@0.2.12': { initialCwd: cwd }, doIt }, (name, args) => calls.push(name));
  assert.equal(imports['wasi:cli/environment@0.2.0'].initialCwd, cwd, 'the given function kept');
  assert.deepEqual(imports['wasi:cli/environment@0.2.0']['get-arguments'](), [], 'the missing one stubbed, under the exact interface name');
  assert.equal(imports['do-it'], undefined, 'found as doIt: not stubbed');
  assert.equal(imports.other(), 0);
  assert.deepEqual(calls, ['wasi:cli/environment@0.2.0#get-arguments', 'other']);
});

test('an invalid binary is reported as a compile error', async () => {
  await writeFile(path.join(dir, 'junk.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff]));
  const r = await run('run', path.join(dir, 'junk.wasm'), '--invoke', 'f()');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /CompileError: .*offset/);
});
