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

before(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cmbridge-p3-'));
  file = path.join(dir, 'p3-hello.wasm');
  await writeFile(file, await watToBytes(await readFile(new URL('components/p3-hello.wat', import.meta.url), 'utf8')));
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

test('wasiP3Imports: versioned keys, our arguments and environment, no network', async () => {
  const imports = await wasiP3Imports({ args: ['a'], env: { K: 'v' } });
  assert.ok(Object.keys(imports).every((k) => k.endsWith(`@${WASI_P3_VERSION}`)));
  const environment = imports[`wasi:cli/environment@${WASI_P3_VERSION}`];
  assert.deepEqual(environment.getArguments(), ['a']);
  assert.deepEqual(environment.getEnvironment(), [['K', 'v']]);
  assert.equal(typeof imports[`wasi:cli/stdout@${WASI_P3_VERSION}`].writeViaStream, 'function');
  await assert.rejects(wasiP3Imports({ network: true }), /not offered for WASI 0.3/);
});
