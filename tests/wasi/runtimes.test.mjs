// The other runtimes the README names, Deno and Bun: a user's script compiles and calls
// components there as in Node (tests/helpers/use-in-runtime.mjs), and serve() plugs into
// Deno.serve and Bun.serve, which take the (Request) => Promise<Response> it gives as it
// is. Their binaries come from npm (@deno/linux-x64-glibc, @oven/bun-linux-x64; Linux x64
// only: skipped elsewhere). The service is the one in component text
// (components/http-hello.wat).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentBytes, watToBytes } from '../helpers/components.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const script = fileURLToPath(new URL('./serve-in-runtime.mjs', import.meta.url));
const DENO = path.join(repoRoot, 'node_modules/@deno/linux-x64-glibc/deno');
const BUN = path.join(repoRoot, 'node_modules/@oven/bun-linux-x64/bin/bun');
const useScript = fileURLToPath(new URL('../helpers/use-in-runtime.mjs', import.meta.url));
let service;
let useArgs;

before(async () => {
  const dir = path.join(repoRoot, 'build', 'test-components');
  await mkdir(dir, { recursive: true });
  service = path.join(dir, 'http-hello.wasm');
  await writeFile(service, await watToBytes(await readFile(new URL('components/http-hello.wat', import.meta.url), 'utf8')));
  useArgs = [path.join(dir, 'add.wasm'), path.join(dir, 'streams.wasm')];
  await writeFile(useArgs[0], await componentBytes('add'));
  await writeFile(useArgs[1], await componentBytes('streams'));
});

const USED = `${JSON.stringify({ add: 42, squares: [0, 1, 4, 9, 16], future: 41, passed: 'through the guest' })}\n`;

test('the use script gives the expected answer in Node', async () => {
  const { code, stdout, stderr } = await run(process.execPath, [useScript, ...useArgs]);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, USED);
});

test('Deno: components compile, instantiate and answer, streams and futures included', { skip: !existsSync(DENO) && `no Deno at ${DENO} (npm @deno/linux-x64-glibc)` }, async () => {
  const { code, stdout, stderr } = await run(DENO, ['run', '--allow-read', '--node-modules-dir=manual', useScript, ...useArgs]);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, USED);
});

test('Bun: components compile, instantiate and answer, streams and futures included', { skip: !existsSync(BUN) && `no Bun at ${BUN} (npm @oven/bun-linux-x64)` }, async () => {
  const { code, stdout, stderr } = await run(BUN, [useScript, ...useArgs]);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, USED);
});

function run(file, args) {
  return new Promise((resolve) => {
    // cwd: the repository, whose package.json and node_modules Deno resolves bare names by.
    execFile(file, args, { cwd: repoRoot, timeout: 60000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

const HELLO = '200 Hello, WASI! | 200 Hello, WASI! | 200 Hello, WASI!\n';

test('Deno.serve(serve(component)) answers', { skip: !existsSync(DENO) && `no Deno at ${DENO} (npm @deno/linux-x64-glibc)` }, async () => {
  const { code, stdout, stderr } = await run(DENO, ['run', '--allow-read', '--allow-net', '--allow-env', '--node-modules-dir=manual', script, service]);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, HELLO);
});

test('Bun.serve({ fetch: serve(component) }) answers', { skip: !existsSync(BUN) && `no Bun at ${BUN} (npm @oven/bun-linux-x64)` }, async () => {
  const { code, stdout, stderr } = await run(BUN, [script, service]);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, HELLO);
});
