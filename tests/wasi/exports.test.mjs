// JS-authored components called from JS: componentize-qjs's plain exports with the QuickJS
// runtime without Component Model async, plain and async exports with it, and
// componentize-js's (StarlingMonkey) plain exports. Their runtimes import WASI 0.2.x
// (stdio, clocks, filesystem, and for StarlingMonkey wasi:http@0.2.10), served by
// wasiImports.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Component } from '../../js/index.mjs';
import { wasiImports } from '../../js/wasi/index.mjs';
import { componentPath } from './componentize.mjs';

// componentize-qjs output uses extended constant expressions (a flag in Node 20 and 21).
v8.setFlagsFromString('--experimental-wasm-extended-const');

const cli = new URL('../../js/cli.mjs', import.meta.url).pathname;
let syncGreeter;
let asyncGreeter;

before(async () => {
  syncGreeter = await Component.compile(await readFile(await componentPath('greeter-sync')));
  asyncGreeter = await Component.compile(await readFile(await componentPath('greeter')));
});

test('the component imports WASI 0.2 and links with wasiImports()', () => {
  const imported = syncGreeter.plan.imports.map((i) => i.name);
  assert.ok(imported.includes('wasi:cli/stdout@0.2.12'), imported.join(', '));
  assert.ok(imported.includes('wasi:filesystem/types@0.2.12'));
});

test('plain exports (runtime without async)', async () => {
  const { exports } = await syncGreeter.instantiate(wasiImports());
  assert.equal(exports.greet('QuickJS'), 'Hello, QuickJS!');
  assert.equal(exports.add(2, 40), 42);
});

test('plain and async exports (runtime with Component Model async)', async () => {
  const { exports } = await asyncGreeter.instantiate(wasiImports());
  assert.equal(exports.greet('sync'), 'Hello, sync!');
  assert.equal(exports.add(20, 22), 42);
  const later = exports.greetLater('async');
  assert.ok(later instanceof Promise);
  assert.equal(await later, 'Hello later, async!');
  assert.equal(await exports.sumLater([1, 2, 3, 4]), 10n);
  // Several calls in flight at once, each its own task.
  assert.deepEqual(
    await Promise.all([exports.greetLater('a'), exports.sumLater([5, 5]), exports.greetLater('b')]),
    ['Hello later, a!', 10n, 'Hello later, b!'],
  );
});

test('StarlingMonkey: plain exports; its wasi:http@0.2.10 imports link to the 0.2.12 keys', async () => {
  const component = await Component.compile(await readFile(await componentPath('greeter-starlingmonkey')));
  assert.ok(component.plan.imports.some((i) => i.name === 'wasi:http/types@0.2.10'));
  const { exports } = await component.instantiate(wasiImports());
  assert.equal(exports.greet('SpiderMonkey'), 'Hello, SpiderMonkey!');
  assert.equal(exports.add(40, 2), 42);
});

test('without WASI imports: a LinkError naming one', async () => {
  await assert.rejects(syncGreeter.instantiate({}), (e) => e instanceof WebAssembly.LinkError && /wasi:/.test(e.message));
});

test('the CLI calls its exports with --invoke, WASI provided', async () => {
  const file = await componentPath('greeter');
  const result = await new Promise((resolve) => {
    execFile(process.execPath, [cli, 'run', file, '--invoke', 'greet-later("cli")'], (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
  assert.deepEqual(result, { code: 0, stdout: '"Hello later, cli!"\n', stderr: '' });
});
