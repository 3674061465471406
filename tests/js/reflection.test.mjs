// Component#imports() and #exports(): what a compiled component imports and exports, as
// data, before (and without) instantiating it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { componentBytes, witFileComponent } from '../helpers/components.mjs';

const shapes = await Component.compile(await witFileComponent('shapes', 'shapes'));

test('imports: interfaces with their types, resources and functions; plain functions with their types', () => {
  const imports = shapes.imports();
  assert.deepEqual(imports.map(({ name, kind }) => `${kind} ${name}`),
    ['interface test:shapes/types@1.2.0', 'interface clock', 'type color', 'type perms', 'function log', 'function paint']);
  const types = imports[0];
  const blob = types.items.find((i) => i.name === 'blob');
  assert.deepEqual(blob, { name: 'blob', kind: 'resource', jsName: 'Blob', resource: blob.resource });
  const size = types.items.find((i) => i.name === '[method]blob.size');
  assert.equal(size.kind, 'function');
  assert.equal(size.jsName, 'size');
  assert.deepEqual(size.type.params, [{ name: 'self', type: { kind: 'borrow', resource: blob.resource } }]);
  assert.equal(types.items.find((i) => i.name === '[constructor]blob').jsName, 'Blob');
  assert.deepEqual(types.items.find((i) => i.name === 'perms').type, { kind: 'flags', labels: ['read', 'write', 'exec'] });
  const log = imports.find((i) => i.name === 'log');
  assert.deepEqual(log, { name: 'log', kind: 'function', jsName: 'log', type: { async: false, params: [{ name: 'msg', type: { kind: 'string' } }], result: null } });
  const sleep = imports[1].items.find((i) => i.name === 'sleep');
  assert.equal(sleep.type.async, true, 'an async import says so');
});

test('exports: functions with their JS names and types, interfaces with theirs', () => {
  const exports = shapes.exports();
  assert.deepEqual(exports.map(({ name, kind }) => `${kind} ${name}`), ['function run', 'function scalars', 'interface test:shapes/api@1.2.0']);
  const api = exports[2];
  const fetch = api.items.find((i) => i.name === 'fetch');
  assert.equal(fetch.type.async, true);
  assert.deepEqual(fetch.type.result, { kind: 'result', cases: [{ name: 'ok', type: { kind: 'string' } }, { name: 'error', type: { kind: 'error-context' } }] });
  const pipe = api.items.find((i) => i.name === 'pipe');
  assert.deepEqual(pipe.type.params[0].type, { kind: 'stream', element: { kind: 'u8' } });
});

test('reflection needs no instantiation and changes nothing: each call gives a new array', async () => {
  const component = await Component.compile(await componentBytes('resources'));
  const first = component.exports();
  first.length = 0;
  assert.ok(component.exports().length > 0);
  assert.ok(component.exports().some((item) => item.kind === 'resource'), 'an exported resource is listed');
});
