// A C program as C toolchain users build one (clang + wasi-libc, then the WASI preview1
// command adapter: tests/wasi/c-programs.mjs), run by `cmbridge run` as a user would:
// non-ASCII arguments and environment (the adapter accepts only one exact-size allocation
// per string), stdio, files under a preopen (wasi-libc asks a preopen's flags on every
// open), paths that leave it, 16 MiB through pipes both ways, exit codes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cComponent, cToolchainMissing } from './c-programs.mjs';

const cli = new URL('../../js/cli.mjs', import.meta.url).pathname;
const missing = cToolchainMissing();
let wasm;

before(async () => {
  if (!missing) wasm = await cComponent('command');
});

// `cmbridge run [options] command.wasm args...` with `input` on stdin; stdout as bytes.
function run(options, args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'run', ...options, wasm, ...args]);
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
const text = (r) => r.stdout.toString();

test('non-ASCII arguments reach main() whole', { skip: missing }, async () => {
  const r = await run([], ['args', 'é', 'ü x', '日本語', '\u{1F600}', 'ascii']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(text(r).split('\n').slice(0, -1), [path.basename(wasm), 'args', 'é', 'ü x', '日本語', '\u{1F600}', 'ascii']);
});

test('the environment: given variables only, non-ASCII values whole', { skip: missing }, async () => {
  const r = await run(['--env', 'GREETING=grüß dich', '--env', 'EMPTY='], ['env', 'GREETING', 'EMPTY', 'HOME', 'PATH']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(text(r), 'GREETING=grüß dich\nEMPTY=\nHOME unset\nPATH unset\n');
});

test('stdout and stderr go to their own streams', { skip: missing }, async () => {
  const r = await run([], ['stdio']);
  assert.equal(r.code, 0);
  assert.equal(text(r), 'to stdout\n');
  assert.equal(r.stderr, 'to stderr\n');
});

test('files under a preopen: read, stat, write, append, seek, mkdir, rename, readdir, rmdir, unlink', { skip: missing }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cmbridge-c-'));
  await writeFile(path.join(dir, 'in.txt'), 'read me');
  const r = await run(['--dir', `${dir}::/data`], ['files', '/data']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(text(r), [
    'fopen in.txt: ok', 'read: 7 bytes: read me', 'stat in.txt: ok', 'size: 7, regular: 1',
    'fopen out.txt w: ok', 'fopen out.txt a: ok', 'open out.txt: ok', 'read back: 22 bytes', 'at 11: C',
    'mkdir sub: ok', 'mkdir sub again: EEXIST', 'rename: ok',
    'opendir: ok', 'entries: in.txt sub', 'opendir: ok', 'entries: moved.txt',
    'rmdir non-empty: ENOTEMPTY', 'unlink: ok', 'open missing: ENOENT', '',
  ].join('\n'));
  assert.equal(await readFile(path.join(dir, 'sub', 'moved.txt'), 'utf8'), 'written by C\nappended\n');
  assert.deepEqual((await readdir(dir)).sort(), ['in.txt', 'sub']);
});

test('paths that leave the preopen, or no preopen at all, are refused', { skip: missing }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cmbridge-c-'));
  await writeFile(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`), 'secret');
  const escape = await run(['--dir', `${dir}::/data`], ['open', `/data/../${path.basename(dir)}-secret.txt`]);
  assert.equal(escape.code, 0, escape.stderr);
  assert.notEqual(text(escape), 'open: ok\n');
  const none = await run([], ['open', '/etc/passwd']);
  assert.equal(text(none), 'open: ENOTCAPABLE\n');
});

test('16 MiB through stdin and stdout pipes arrive whole', { skip: missing }, async () => {
  const input = randomBytes(16 << 20);
  const r = await run([], ['cat'], input);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.length, input.length);
  assert.equal(createHash('sha256').update(r.stdout).digest('hex'), createHash('sha256').update(input).digest('hex'));
});

// What the CLI once lost: process.exit() dropped what Node had not yet written to a pipe.
test('16 MiB of output into a shell pipe arrives whole', { skip: missing }, async () => {
  const size = 16 << 20;
  const { stdout } = await new Promise((resolve, reject) => {
    execFile('sh', ['-c', `"${process.execPath}" "${cli}" run "${wasm}" gen ${size} | wc -c`], (error, out, err) => {
      if (error) reject(error);
      else resolve({ stdout: out, stderr: err });
    });
  });
  assert.equal(Number(stdout.trim()), size);
});

// Every way a command ends waits for its output: returning, wasi:cli/exit, a trap.
test('16 MiB of output arrive whole however the command ends: return, exit, trap', { skip: missing }, async () => {
  const size = 16 << 20;
  for (const [args, code] of [[['gen', String(size)], 0], [['gen-then', String(size), 'exit'], 1], [['gen-then', String(size), 'trap'], 1]]) {
    const { stdout } = await new Promise((resolve, reject) => {
      execFile('sh', ['-c', `"${process.execPath}" "${cli}" run "${wasm}" ${args.join(' ')} | wc -c`], (error, out, err) => {
        if (error) reject(error);
        else resolve({ stdout: out, stderr: err });
      });
    });
    assert.equal(Number(stdout.trim()), size, `${args.join(' ')}: all of stdout`);
    const r = await run([], args.with(1, '10'));
    assert.equal(r.code, code, `${args.join(' ')}: exit code`);
  }
});

// The preview1 adapter jco ships maps exit(0) to wasi:cli/exit's ok and any other code to
// err (it does not use exit-with-code), which a host reports as 1.
test('exit codes: 0 is success, anything else is failure', { skip: missing }, async () => {
  assert.equal((await run([], ['exit', '0'])).code, 0);
  assert.equal((await run([], ['exit', '7'])).code, 1);
  assert.equal((await run([], ['no-such-mode'])).code, 1, 'main returning 2');
});
