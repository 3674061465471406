// WASI 0.3 from @bytecodealliance/preview3-shim: a command in component text (no toolchain
// here emits WASI 0.3) whose async `run` writes to stdout through a stream<u8> and waits
// for the write's future, run by the CLI and by runCommand.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { wasiP3Imports, WASI_P3_VERSION } from '../../js/wasi/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const cli = new URL('../../js/cli.mjs', import.meta.url).pathname;
const apiRunner = new URL('./run-with-api.mjs', import.meta.url).pathname;
let file;

function node(args) {
  return new Promise((resolve) => {
    execFile(process.execPath, args, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

let catFile;

before(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cmbridge-p3-'));
  file = path.join(dir, 'p3-hello.wasm');
  await writeFile(file, await watToBytes(await readFile(new URL('components/p3-hello.wat', import.meta.url), 'utf8')));
  catFile = path.join(dir, 'p3-cat.wasm');
  await writeFile(catFile, await watToBytes(await readFile(new URL('../../web-demo/components/wasi-cat.wat', import.meta.url), 'utf8')));
});

test('stdio the embedder gives: stdin from a string or a ReadableStream, stdout into a WritableStream', async () => {
  const { runCommand } = await import('../../js/wasi/index.mjs');
  const cat = await readFile(catFile);
  let out = '';
  const stdout = new WritableStream({ write(chunk) { out += new TextDecoder().decode(chunk); } });
  assert.equal(await runCommand(cat, { stdin: 'hello, cat\n', stdout }), 0);
  assert.equal(out, 'hello, cat\n');
  // 1 MiB in 64 KiB chunks.
  let pulled = 0;
  let written = 0;
  const stdin = new ReadableStream({
    pull(c) {
      if (pulled === 16) return c.close();
      pulled++;
      c.enqueue(new Uint8Array(65536).fill(pulled));
    },
  }, { highWaterMark: 0 });
  assert.equal(await runCommand(cat, { stdin, stdout: new WritableStream({ write(c) { written += c.byteLength; } }) }), 0);
  assert.deepEqual([pulled, written], [16, 1 << 20]);
  // A stdout that fails is the write's err(pipe): run returns err, exit code 1.
  const broken = new WritableStream({ write() { throw new Error('disk full'); } });
  assert.equal(await runCommand(cat, { stdin: 'x', stdout: broken }), 1);
});

test('stdio options: checked, and refused for WASI 0.2, whose stdio is the process\'s', async () => {
  await assert.rejects(wasiP3Imports({ stdin: 42 }), /`stdin` must be a ReadableStream, a Uint8Array or a string/);
  await assert.rejects(wasiP3Imports({ stdout: {} }), /`stdout` must be a WritableStream/);
  const { wasiImports } = await import('../../js/wasi/index.mjs');
  assert.throws(() => wasiImports({ stdin: 'x' }), /`stdin` are for WASI 0.3 components/);
});

test('CLI: a WASI 0.3 command reads the process\'s stdin', async () => {
  const child = (await import('node:child_process')).spawn(process.execPath, [cli, 'run', catFile]);
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stdin.end('through a pipe\n');
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.deepEqual([code, out], [0, 'through a pipe\n']);
});

test('CLI: a WASI 0.3 command writes stdout through a stream; its result is the exit code', async () => {
  assert.deepEqual(await node([cli, 'run', file]), { code: 0, stdout: 'hello from wasi 0.3\n', stderr: '' });
  assert.deepEqual(await node([cli, 'run', file, 'an-argument']), { code: 1, stdout: 'hello from wasi 0.3\n', stderr: '' }, 'run returned err');
});

test('CLI --invoke: a component importing WASI 0.3 gets it there too', async () => {
  assert.deepEqual(await node([cli, 'run', file, '--invoke', 'wasi:cli/run@0.3.0#run()']), { code: 0, stdout: 'hello from wasi 0.3\nok\n', stderr: '' });
});

test('runCommand: the same through the JS API', async () => {
  assert.deepEqual(await node([apiRunner, file, '{"args": ["p3"]}']), { code: 0, stdout: 'hello from wasi 0.3\n', stderr: '' });
  assert.equal((await node([apiRunner, file, '{"args": ["p3", "x"]}'])).code, 1);
});

test('wasiP3Imports: versioned keys, our arguments and environment, wasi:http', async () => {
  const imports = await wasiP3Imports({ args: ['a'], env: { K: 'v' } });
  assert.ok(Object.keys(imports).every((k) => k.endsWith(`@${WASI_P3_VERSION}`)));
  const environment = imports[`wasi:cli/environment@${WASI_P3_VERSION}`];
  assert.deepEqual(environment.getArguments(), ['a']);
  assert.deepEqual(environment.getEnvironment(), [['K', 'v']]);
  assert.equal(typeof imports[`wasi:cli/stdout@${WASI_P3_VERSION}`].writeViaStream, 'function');
  // wasi:http is ours (js/wasi/http/): there, and denying requests unless network is on.
  assert.equal(typeof imports[`wasi:http/client@${WASI_P3_VERSION}`].send, 'function');
  assert.equal(typeof imports[`wasi:http/types@${WASI_P3_VERSION}`].Fields, 'function');
});

test('wasiP3Imports: no terminal where stdio is not one (a pipe here, as under the CLI in a pipeline)', async () => {
  const imports = await wasiP3Imports();
  assert.equal(imports[`wasi:cli/terminal-stdin@${WASI_P3_VERSION}`].getTerminalStdin(), undefined);
  assert.equal(imports[`wasi:cli/terminal-stdout@${WASI_P3_VERSION}`].getTerminalStdout(), undefined);
  assert.equal(imports[`wasi:cli/terminal-stderr@${WASI_P3_VERSION}`].getTerminalStderr(), undefined);
});

test('wasiP3Imports: waiting for a mark already reached, or for nothing, is ready at once', async () => {
  const clock = (await wasiP3Imports())[`wasi:clocks/monotonic-clock@${WASI_P3_VERSION}`];
  assert.equal(clock.waitUntil(clock.now()), undefined);
  assert.equal(clock.waitUntil(clock.now() - 1n), undefined);
  assert.equal(clock.waitFor(0n), undefined);
  const later = clock.waitFor(2_000_000n);
  assert.ok(later instanceof Promise, 'a real wait is a Promise');
  const start = clock.now();
  await later;
  assert.ok(clock.now() - start >= 1_000_000n, 'and it waits');
});

test('wasiP3Imports: a wait longer than a timer can take waits, without warnings; a cancelled one ends', async () => {
  const clock = (await wasiP3Imports())[`wasi:clocks/monotonic-clock@${WASI_P3_VERSION}`];
  // The runtime passes { signal } to a function with one parameter more than the WIT's.
  assert.deepEqual([clock.waitFor.length, clock.waitUntil.length], [2, 2]);
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  const controller = new AbortController();
  let settled = false;
  const forever = clock.waitFor(2n ** 64n - 1n, { signal: controller.signal });
  forever.then(() => { settled = true; }, () => {});
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(settled, false, 'u64::MAX ns is still being waited for');
  controller.abort(new Error('the guest cancelled'));
  await assert.rejects(forever, /the guest cancelled/);
  process.off('warning', onWarning);
  assert.deepEqual(warnings.map((w) => w.name), []);
});

test('stdout 0.3 in Node: chunks go to the process stream from the main thread, with its backpressure', async () => {
  const { nodeStdio } = await import('../../js/wasi/p3-stdio.mjs');
  const { Writable } = await import('node:stream');
  const written = [];
  const slow = new Writable({
    highWaterMark: 4,
    write(chunk, _encoding, done) { written.push(Buffer.from(chunk).toString()); setTimeout(done, 1); },
  });
  const chunks = ['one ', 'two ', 'three'];
  let pulled = 0;
  const data = new ReadableStream({ pull(c) { if (pulled < chunks.length) c.enqueue(new TextEncoder().encode(chunks[pulled++])); else c.close(); } }, { highWaterMark: 0 });
  assert.deepEqual(await nodeStdio({ stdout: slow, stderr: slow }).stdout.writeViaStream(data), { tag: 'ok', val: undefined });
  assert.equal(written.join(''), 'one two three');
  const broken = new Writable({ write(_c, _e, done) { done(Object.assign(new Error('gone'), { code: 'EPIPE' })); } });
  broken.on('error', () => {});
  const more = new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(8)); } }, { highWaterMark: 0 });
  assert.deepEqual(await nodeStdio({ stdout: broken, stderr: broken }).stdout.writeViaStream(more), { tag: 'err', val: 'pipe' });
});
