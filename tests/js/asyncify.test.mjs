// Guest stacks that wait without JSPI: Asyncify (js/runtime/async/asyncify.mjs and
// asyncify-transform.mjs). Every test compiles with { suspendWith: 'asyncify' }, so the
// unwind/rewind path runs in every engine, JSPI or not (Node 20 and WebKit take it by
// default; the spec's blocking scripts run there through it in the conformance suite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { withKnownNames, withMemoryExport, unwindingImports } from '../../js/runtime/async/asyncify-transform.mjs';
import { componentBytes, watToBytes } from '../helpers/components.mjs';

// tests/components/asyncify-crossing.wat: run(x) waits in the host's `wait-for` with a stack
// across two core modules without memory; deep(n) recurses n frames first.
const crossing = await componentBytes('asyncify-crossing');

// The host's side of `wait-for`: each call waits until the test answers it.
function waitFor() {
  const pending = [];
  const host = (x) => new Promise((resolve, reject) => pending.push({ x, resolve, reject }));
  return { host, pending };
}

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

test('a stack that waits unwinds and rewinds: the result and every local survive, across two core modules', async () => {
  const component = await Component.compile(crossing, { suspendWith: 'asyncify' });
  const { host, pending } = waitFor();
  const { exports } = await component.instantiate({ 'wait-for': host });
  const result = exports.run(7);
  await nextTurn();
  assert.equal(pending.length, 1);
  assert.equal(pending[0].x, 7);
  pending[0].resolve(100);
  // 100 + 7 (a) + 7 (b) + 7 (c) in $inner, + 7 ($keep) in $outer
  assert.equal(await result, 128);
});

test('several stacks wait at once and resume in another order, each with its own locals', async () => {
  const component = await Component.compile(crossing, { suspendWith: 'asyncify' });
  const { host, pending } = waitFor();
  const { exports } = await component.instantiate({ 'wait-for': host });
  const results = [1, 2, 3, 4].map((x) => exports.run(x));
  await nextTurn();
  assert.deepEqual(pending.map((p) => p.x), [1, 2, 3, 4]);
  // The last to wait is the first to go on.
  for (const p of [...pending].reverse()) {
    p.resolve(1000 * p.x);
    await nextTurn();
  }
  assert.deepEqual(await Promise.all(results), [1, 2, 3, 4].map((x) => 1000 * x + 4 * x));
  // Their buffers are reused: another round needs no more memory.
  const again = [5, 6].map((x) => exports.run(x));
  await nextTurn();
  pending.slice(4).forEach((p) => p.resolve(0));
  assert.deepEqual(await Promise.all(again), [20, 24]);
});

test('a deep stack is saved frame by frame', async () => {
  const component = await Component.compile(crossing, { suspendWith: 'asyncify' });
  const { host, pending } = waitFor();
  const { exports } = await component.instantiate({ 'wait-for': host });
  const result = exports.deep(100);
  await nextTurn();
  pending[0].resolve(1);
  assert.equal(await result, 1 + (100 * 101) / 2);
});

test('a stack too deep for its unwind buffer traps, saying why', async () => {
  const component = await Component.compile(crossing, { suspendWith: 'asyncify' });
  const { host } = waitFor();
  const { exports } = await component.instantiate({ 'wait-for': host }, { onTrap: () => {} });
  await assert.rejects(exports.deep(5000), (e) => e instanceof ComponentTrap && /Asyncify/.test(e.message) && /64 KiB/.test(e.message));
  await assert.rejects(exports.run(1), /cannot enter component instance/);
});

test('a host Promise that rejects while the stack waits traps the instance', async () => {
  const component = await Component.compile(crossing, { suspendWith: 'asyncify' });
  const { host, pending } = waitFor();
  const { exports } = await component.instantiate({ 'wait-for': host }, { onTrap: () => {} });
  const result = exports.run(3);
  await nextTurn();
  pending[0].reject(new Error('no answer'));
  await assert.rejects(result, (e) => e instanceof ComponentTrap && /no answer/.test(e.message));
});

test("suspendWith: 'jspi' rewrites nothing: where the engine lacks JSPI, the wait traps naming it", { skip: typeof WebAssembly.Suspending === 'function' && 'this engine has JSPI: the stack suspends' }, async () => {
  const component = await Component.compile(crossing, { suspendWith: 'jspi' });
  const { host } = waitFor();
  const { exports } = await component.instantiate({ 'wait-for': host }, { onTrap: () => {} });
  await assert.rejects(exports.run(1), (e) => e instanceof ComponentTrap && /JSPI/.test(e.message));
});

test('suspendWith is checked', async () => {
  await assert.rejects(Component.compile(crossing, { suspendWith: 'threads' }), TypeError);
  await assert.rejects(Component.compile(crossing, 'asyncify'), TypeError);
});

test('only modules through which a stack may unwind are rewritten, and only through those imports', async () => {
  const component = await Component.compile(crossing, { suspendWith: 'asyncify' });
  const plan = component.plan;
  const lists = unwindingImports(plan);
  const byModule = plan.coreInstances.filter((ci) => !ci.exports).map((ci) => lists[ci.module]);
  assert.deepEqual(byModule, [['.wait'], ['.waited', '.deep']]);
  // A component that never blocks is left alone.
  const plain = await Component.compile(await watToBytes(`(component
    (core module $m (func (export "f") (result i32) (i32.const 1)))
    (core instance $i (instantiate $m))
    (func (export "f") (result u32) (canon lift (core func $i "f"))))`), { suspendWith: 'asyncify' });
  assert.deepEqual(unwindingImports(plain.plan), [null]);
});

test('stream and future reads and writes given `async` never block; without it they do', async () => {
  // `async` is a canonical option of these built-ins (where subtask.cancel has it as an
  // immediate): reading the wrong one rewrote every component that copies asynchronously.
  const copies = (async) => watToBytes(`(component
    (type $s (stream u8))
    (type $f (future u32))
    (core module $libc (memory (export "memory") 1))
    (core instance $libc (instantiate $libc))
    (alias core export $libc "memory" (core memory $mem))
    (core func $sw (canon stream.write $s ${async} (memory $mem)))
    (core func $sr (canon stream.read $s ${async} (memory $mem)))
    (core func $fw (canon future.write $f ${async} (memory $mem)))
    (core func $fr (canon future.read $f ${async} (memory $mem)))
    (core module $m
      (import "" "sw" (func (param i32 i32 i32) (result i32)))
      (import "" "sr" (func (param i32 i32 i32) (result i32)))
      (import "" "fw" (func (param i32 i32) (result i32)))
      (import "" "fr" (func (param i32 i32) (result i32)))
      (func (export "f") (result i32) (i32.const 1)))
    (core instance $i (instantiate $m (with "" (instance
      (export "sw" (func $sw)) (export "sr" (func $sr)) (export "fw" (func $fw)) (export "fr" (func $fr))))))
    (func (export "f") (result u32) (canon lift (core func $i "f"))))`);
  const nonBlocking = await Component.compile(await copies('async'), { suspendWith: 'asyncify' });
  assert.deepEqual(unwindingImports(nonBlocking.plan), [null, null]);
  const blocking = await Component.compile(await copies(''), { suspendWith: 'asyncify' });
  assert.deepEqual(unwindingImports(blocking.plan), [null, ['.sw', '.sr', '.fw', '.fr']]);
});

test('withMemoryExport exports memory 0 of a module that defines memory, and only then', () => {
  const exportsOf = (bytes) => WebAssembly.Module.exports(new WebAssembly.Module(bytes));
  const minimal = (sections) => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...sections]);
  // (memory 1)
  const memory = [5, 3, 1, 0, 1];
  // (export "m" (memory 0))
  const exported = [7, 5, 1, 1, 0x6d, 2, 0];
  assert.deepEqual(exportsOf(withMemoryExport(minimal(memory))), [{ name: 'cmbridge:asyncify-memory', kind: 'memory' }]);
  assert.deepEqual(exportsOf(withMemoryExport(minimal([...memory, ...exported]))),
    [{ name: 'm', kind: 'memory' }, { name: 'cmbridge:asyncify-memory', kind: 'memory' }]);
  const none = minimal([]);
  assert.equal(withMemoryExport(none), none);
});

test('withKnownNames keeps the names Binaryen reads and drops the subsections it would warn about', () => {
  const str = (text) => [text.length, ...[...text].map((c) => c.charCodeAt(0))];
  const sub = (id, body) => [id, body.length, ...body];
  // (func $f) with a name section: function names (1), then label names (3).
  const functionNames = sub(1, [1, 0, ...str('f')]);
  const labelNames = sub(3, [1, 0, 1, 0, ...str('l')]);
  const nameBody = [...str('name'), ...functionNames, ...labelNames];
  const module = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0b,
    0, nameBody.length, ...nameBody]);
  const kept = withKnownNames(module);
  const tail = [...kept.subarray(kept.length - (2 + 4 + 1 + functionNames.length))];
  assert.deepEqual(tail, [0, 5 + functionNames.length, ...str('name'), ...functionNames]);
  assert.ok(WebAssembly.validate(kept));
  const plain = module.subarray(0, module.length - (2 + nameBody.length));
  assert.equal(withKnownNames(plain), plain);
});
