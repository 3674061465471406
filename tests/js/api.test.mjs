// The public API's edges: every kind of source Component.compile accepts, instantiate()
// in one step, the error classes for bad binaries and bad imports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Component, instantiate } from '../../js/index.mjs';
import { componentBytes, watToBytes } from '../helpers/components.mjs';

const add = await componentBytes('add');

test('compile accepts Uint8Array, ArrayBuffer, Response, Promise<Response> and file URLs', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cmbridge-api-'));
  const file = path.join(dir, 'add.wasm');
  await writeFile(file, add);
  const sources = [
    add,
    add.buffer.slice(add.byteOffset, add.byteOffset + add.byteLength),
    new Response(add),
    Promise.resolve(new Response(add)),
    pathToFileURL(file),
  ];
  for (const source of sources) {
    const component = await Component.compile(source);
    const { exports } = await component.instantiate();
    assert.equal(exports.add(20, 22), 42);
  }
});

test('instantiate(source, imports) compiles and instantiates in one step', async () => {
  const { exports } = await instantiate(add, {});
  assert.equal(exports.add(1, 1), 2);
});

test('a failed HTTP response or a wrong source type is a TypeError', async () => {
  await assert.rejects(Component.compile(new Response('nope', { status: 404 })), TypeError);
  await assert.rejects(Component.compile(42), TypeError);
});

test('malformed binaries are CompileErrors naming the offset', async () => {
  const cases = [
    new Uint8Array([]),
    new Uint8Array([0, 0x61, 0x73, 0x6d]),
    new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),  // a core module, not a component
    new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 7, 5, 1]),  // truncated section
    add.subarray(0, add.length - 3),
  ];
  for (const bytes of cases) {
    await assert.rejects(Component.compile(bytes), (e) => {
      assert.ok(e instanceof WebAssembly.CompileError, `${e}`);
      assert.match(e.message, /offset \d+/);
      return true;
    });
  }
});

test('an invalid component is a CompileError naming the rule', async () => {
  const bytes = await watToBytes(`(component
    (core module $m (func (export "f") (param i32) (result i32) (local.get 0)))
    (core instance $i (instantiate $m))
    (func (export "f") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "f"))))`);
  await assert.rejects(Component.compile(bytes), (e) => e instanceof WebAssembly.CompileError && /do not match/.test(e.message));
});

test('missing and mistyped imports are LinkErrors naming the import', async () => {
  const component = await Component.compile(await watToBytes(`(component
    (import "host-log" (func $log (param "m" string)))
    (import "local:demo/host" (instance $h (export "some-func" (func (result u32)))))
    (alias export $h "some-func" (func $some))
    (core module $mem (memory (export "memory") 1))
    (core instance $mem (instantiate $mem))
    (core func (canon lower (func $log) (memory (core memory $mem "memory"))))
    (core func (canon lower (func $some))))`));
  await assert.rejects(component.instantiate({}), (e) => e instanceof WebAssembly.LinkError && /`host-log`/.test(e.message));
  await assert.rejects(component.instantiate({ 'host-log': () => {} }), (e) => e instanceof WebAssembly.LinkError && /`local:demo\/host`/.test(e.message));
  await assert.rejects(component.instantiate({ 'host-log': 5, 'local:demo/host': { someFunc() { return 1; } } }),
    (e) => e instanceof WebAssembly.LinkError && /host-log.*must be a function, got number/.test(e.message));
  await assert.rejects(component.instantiate({ 'host-log': () => {}, 'local:demo/host': {} }),
    (e) => e instanceof WebAssembly.LinkError && /some-func/.test(e.message));
  await component.instantiate({ hostLog: () => {}, 'local:demo/host': { someFunc() { return 1; } } });
});

test('a type import `(eq T)` (a world-level `use` in WIT) asks nothing of the host', async () => {
  const component = await Component.compile(await watToBytes(`(component
    (import "local:demo/types" (instance $t (export "color" (type (sub resource)))
                                             (export "shade" (type (eq 0)))))
    (alias export $t "shade" (type $shade))
    (import "shade" (type $my-shade (eq $shade)))
    (type $f (func (param "c" (own $my-shade)) (result u32)))
    (import "paint" (func $paint (type $f)))
    (export "paint" (func $paint)))`));
  const { exports } = await component.instantiate({ 'local:demo/types': {}, paint: () => 7 });
  assert.equal(typeof exports.paint, 'function');
  await assert.rejects(component.instantiate({ 'local:demo/types': {} }), (e) => e instanceof WebAssembly.LinkError && /`paint`/.test(e.message));
});
