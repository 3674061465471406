// A WASI command component written in JS and built by real toolchains (componentize-qjs,
// with both its runtimes, and componentize-js), run by `cmbridge run` and by runCommand:
// arguments, environment, stdio, files under a preopened directory (and nowhere else),
// clocks, pollables, random, and exit codes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { componentPath } from './componentize.mjs';
import { watToBytes } from '../helpers/components.mjs';

const cli = new URL('../../js/cli.mjs', import.meta.url).pathname;
const apiRunner = new URL('./run-with-api.mjs', import.meta.url).pathname;
let data;
const built = {};

function node(args, input) {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

const viaCli = (component, options, args) => node([cli, 'run', ...options, built[component], ...args]);
const viaApi = (component, options) => node([apiRunner, built[component], JSON.stringify(options)]);
const lines = (stdout) => stdout.split('\n').filter(Boolean);

before(async () => {
  built.command = await componentPath('command');
  built.async = await componentPath('command-async-runtime');
  built.starlingmonkey = await componentPath('command-starlingmonkey');
  data = await mkdtemp(path.join(tmpdir(), 'cmbridge-wasi-'));
  await writeFile(path.join(data, 'input.txt'), 'read me');
  await writeFile(path.join(path.dirname(data), `${path.basename(data)}-outside.txt`), 'secret');
});

// The same JS in three builds: QuickJS without and with Component Model async, and
// StarlingMonkey.
for (const component of ['command', 'async', 'starlingmonkey']) {
  test(`${component}: CLI passes the file name and arguments, and only the --env variables`, async () => {
    process.env.CMBRIDGE_TEST_PASSED = 'from host';
    const r = await viaCli(component, ['--env', 'GREETING=hi there', '--env', 'CMBRIDGE_TEST_PASSED'], ['nothing', 'two words']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      `args ${JSON.stringify([path.basename(built[component]), 'nothing', 'two words'])}`,
      'env [["GREETING","hi there"],["CMBRIDGE_TEST_PASSED","from host"]]',
      'done',
    ]);
    assert.equal(r.stderr, '');
  });

  test(`${component}: CLI --dir lets it read and write files there`, async () => {
    const r = await viaCli(component, ['--dir', `${data}::/data`], ['files']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(2), ['input read me', 'wrote output.txt', 'done']);
    assert.equal(await readFile(path.join(data, 'output.txt'), 'utf8'), 'READ ME');
  });

  test(`${component}: nothing outside the preopened directory`, async () => {
    const outside = `../${path.basename(data)}-outside.txt`;
    const r = await viaCli(component, ['--dir', `${data}::/data`], ['escape', outside]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(r.stdout)[2], 'refused not-permitted');
    const noDirs = await viaCli(component, [], ['no-files']);
    assert.equal(lines(noDirs.stdout)[2], 'preopens 0', 'no filesystem unless asked');
  });

  test(`${component}: stdin, stderr, clocks and random`, async () => {
    const r = await node([cli, 'run', built[component], 'stdin'], 'piped in');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(r.stdout)[2], 'stdin PIPED IN');
    const host = await viaCli(component, [], ['host']);
    assert.deepEqual(lines(host.stdout).slice(2), ['clock true', 'random 16', 'done']);
    assert.equal(host.stderr, 'to stderr\n');
  });

  test(`${component}: pollables (block, ready, poll) through our resource handles`, async () => {
    const r = await viaCli(component, [], ['sleep']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(2), ['ready true', 'waited true', 'poll [0,1]', 'done']);
  });

  test(`${component}: the exit code is the command's`, async () => {
    assert.equal((await viaCli(component, [], ['exit-ok'])).code, 0);
    const exitErr = await viaCli(component, [], ['exit-err']);
    assert.equal(exitErr.code, 1);
    assert.equal(exitErr.stderr, '', 'wasi:cli/exit is not an error of ours');
    assert.equal(lines(exitErr.stdout).length, 2, 'nothing runs after exit');
    const failed = await viaCli(component, [], ['fail']);
    assert.equal(failed.code, 1, 'run returning err');
    assert.equal(failed.stderr, '');
  });

  test(`${component}: the JS API (runCommand) does the same`, async () => {
    const options = { args: ['cmd', 'files'], env: { ONLY: 'this' }, preopens: { '/data': data } };
    await writeFile(path.join(data, 'input.txt'), 'via the api');
    const r = await viaApi(component, options);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ['args ["cmd","files"]', 'env [["ONLY","this"]]', 'input via the api', 'wrote output.txt', 'done']);
    assert.equal(await readFile(path.join(data, 'output.txt'), 'utf8'), 'VIA THE API');
    await writeFile(path.join(data, 'input.txt'), 'read me');
    assert.equal((await viaApi(component, { args: ['cmd', 'exit-err'] })).code, 1);
    assert.equal((await viaApi(component, { args: ['cmd', 'fail'] })).code, 1);
    const ok = await viaApi(component, {});
    assert.equal(ok.code, 0);
    assert.deepEqual(lines(ok.stdout), ['args []', 'env []', 'done'], 'no arguments or environment unless given');
  });
}

test('a symbolic link out of the preopened directory is refused', async () => {
  await symlink(path.join(path.dirname(data), `${path.basename(data)}-outside.txt`), path.join(data, 'link.txt')).catch(() => {});
  const r = await viaCli('command', ['--dir', `${data}::/data`], ['escape', 'link.txt']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(lines(r.stdout)[2], /^refused /);
});

test('CLI: bad --dir and --env, and a component that is not a command', async () => {
  const missing = await viaCli('command', ['--dir', path.join(data, 'nope')], []);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /is not a directory/);
  const badEnv = await viaCli('command', ['--env', '=x'], []);
  assert.equal(badEnv.code, 1);
  assert.match(badEnv.stderr, /expected NAME=value/);
  const greeter = await node([cli, 'run', await componentPath('greeter-sync')]);
  assert.equal(greeter.code, 1);
  assert.match(greeter.stderr, /is not a WASI command .* --invoke/);
});

test('CLI --invoke: a guest calling wasi:cli/exit ends the CLI with its code, quietly', async () => {
  const file = path.join(data, 'quit.wasm');
  await writeFile(file, await watToBytes(`(component
    (import "wasi:cli/exit@0.2.0" (instance $exit (export "exit" (func (param "status" (result))))))
    (core func $exit (canon lower (func $exit "exit")))
    (core module $M
      (import "wasi" "exit" (func $exit (param i32)))
      (func (export "quit") (param i32) (call $exit (local.get 0)) (unreachable)))
    (core instance $m (instantiate $M (with "wasi" (instance (export "exit" (func $exit))))))
    (func (export "quit") (param "fail" bool) (canon lift (core func $m "quit"))))`));
  assert.deepEqual(await node([cli, 'run', file, '--invoke', 'quit(true)']), { code: 1, stdout: '', stderr: '' });
  assert.deepEqual(await node([cli, 'run', file, '--invoke', 'quit(false)']), { code: 0, stdout: '', stderr: '' });
});
