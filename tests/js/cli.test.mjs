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
  assert.match(missing.stderr, /exports no function `sub` \(exports: add\)/);
  const nofile = await run('run', path.join(dir, 'nope.wasm'), '--invoke', 'f()');
  assert.equal(nofile.code, 1);
  assert.match(nofile.stderr, /ENOENT|no such file/);
  const usage = await run('frobnicate');
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /unknown command `frobnicate`/);
});

test('an invalid binary is reported as a compile error', async () => {
  await writeFile(path.join(dir, 'junk.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff]));
  const r = await run('run', path.join(dir, 'junk.wasm'), '--invoke', 'f()');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /CompileError: .*offset/);
});
