// instantiate(imports, { suspendingImports }): a synchronous WIT import whose host
// function returns a Promise (a fetch()-backed import, the browser's WASI shims), as jco's
// JSPI mode allows. The guest's stack suspends until the Promise settles, and every export
// returns a Promise. With JSPI (Node 26 in `npm test`), or Asyncify where the engine lacks
// it (Node 20: the modules that call such imports are rewritten at instantiate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const jspi = typeof WebAssembly.Suspending === 'function';

// run(x) = slow-double(x) + 1; echo(s) = upper(s), a string through guest memory after
// the wait; plain(x) = fast(x) (a host function listed or not that returns a value);
// nested(x) = quad(x) + 1000, a component calling its sibling's quad(x) = slow-double(x) * 2.
const bytes = await watToBytes(`(component
  (import "slow-double" (func $slow-double (param "x" u32) (result u32)))
  (import "upper" (func $upper (param "s" string) (result string)))
  (import "fast" (func $fast (param "x" u32) (result u32)))
  (core module $libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $heap))
      (global.set $heap (i32.add (global.get $heap) (local.get 3)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (core func $slow-double (canon lower (func $slow-double)))
  (core func $fast (canon lower (func $fast)))
  (core func $upper (canon lower (func $upper) (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (core module $m
    (import "libc" "memory" (memory 1))
    (import "" "slow-double" (func $slow-double (param i32) (result i32)))
    (import "" "upper" (func $upper (param i32 i32 i32)))
    (import "" "fast" (func $fast (param i32) (result i32)))
    (func (export "run") (param $x i32) (result i32)
      (i32.add (call $slow-double (local.get $x)) (i32.const 1)))
    (func (export "echo") (param $p i32) (param $n i32) (result i32)
      (call $upper (local.get $p) (local.get $n) (i32.const 16))
      (i32.const 16))
    (func (export "plain") (param $x i32) (result i32) (call $fast (local.get $x)))
    (func (export "boom") unreachable))
  (core instance $i (instantiate $m (with "libc" (instance $libc)) (with "" (instance
    (export "slow-double" (func $slow-double)) (export "upper" (func $upper)) (export "fast" (func $fast))))))
  (func $run (export "run") (param "x" u32) (result u32) (canon lift (core func $i "run")))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (func (export "plain") (param "x" u32) (result u32) (canon lift (core func $i "plain")))
  (func (export "boom") (canon lift (core func $i "boom")))
  (component $inner
    (import "slow-double" (func $slow-double (param "x" u32) (result u32)))
    (core func $slow-double (canon lower (func $slow-double)))
    (core module $n
      (import "" "slow-double" (func $slow-double (param i32) (result i32)))
      (func (export "quad") (param i32) (result i32) (i32.mul (call $slow-double (local.get 0)) (i32.const 2))))
    (core instance $n (instantiate $n (with "" (instance (export "slow-double" (func $slow-double))))))
    (func (export "quad") (param "x" u32) (result u32) (canon lift (core func $n "quad"))))
  (instance $inner (instantiate $inner (with "slow-double" (func $slow-double))))
  (component $caller
    (import "quad" (func $quad (param "x" u32) (result u32)))
    (core func $quad (canon lower (func $quad)))
    (core module $p
      (import "" "quad" (func $quad (param i32) (result i32)))
      (func (export "nested") (param i32) (result i32) (i32.add (call $quad (local.get 0)) (i32.const 1000))))
    (core instance $p (instantiate $p (with "" (instance (export "quad" (func $quad))))))
    (func (export "nested") (param "x" u32) (result u32) (canon lift (core func $p "nested"))))
  (instance $caller (instantiate $caller (with "quad" (func $inner "quad"))))
  (export "nested" (func $caller "nested")))`);
const component = await Component.compile(bytes);

const later = (value, ms = 5) => new Promise((resolve) => setTimeout(() => resolve(value), ms));
const host = (calls = []) => ({
  slowDouble: (x) => { calls.push(`slow ${x}`); return later(x * 2); },
  upper: (s) => later(s.toUpperCase()),
  fast: (x) => x + 100,
});
const SUSPENDING = ['slow-double', 'upper'];

test("without JSPI, suspendingImports of a component compiled with suspendWith: 'jspi' is refused, naming JSPI", { skip: jspi ? 'this engine has JSPI' : false }, async () => {
  const jspiOnly = await Component.compile(bytes, { suspendWith: 'jspi' });
  await assert.rejects(jspiOnly.instantiate(host(), { suspendingImports: SUSPENDING }),
    (e) => e instanceof TypeError && /JSPI \(WebAssembly\.Suspending\)/.test(e.message));
});

test('the guest waits for the Promise of a listed import; exports return Promises', async () => {
  const calls = [];
  const { exports } = await component.instantiate(host(calls), { suspendingImports: SUSPENDING });
  const pending = exports.run(20);
  assert.ok(pending instanceof Promise);
  assert.deepEqual(calls, ['slow 20'], 'the guest ran up to the import at once');
  assert.equal(await pending, 41);
  assert.equal(await exports.echo('héllo wörld'), 'HÉLLO WÖRLD', 'a string lowered into the guest after the wait');
  assert.equal(await exports.plain(1), 101, 'a plain value from an import does not suspend');
});

test('calls that overlap wait their turn, each with its own answer', async () => {
  const { exports } = await component.instantiate(host(), { suspendingImports: true });
  assert.deepEqual(await Promise.all([exports.run(1), exports.run(2), exports.echo('a'), exports.run(3)]), [3, 5, 'A', 7]);
});

test('a call between nested components that reaches the suspending import waits too', async () => {
  const { exports } = await component.instantiate(host(), { suspendingImports: ['slow-double'] });
  assert.equal(await exports.nested(4), 1016);
});

test('a rejected Promise traps the call, with the rejection as cause', async () => {
  const failure = new Error('offline');
  const { exports } = await component.instantiate({ ...host(), slowDouble: () => Promise.reject(failure) }, { suspendingImports: SUSPENDING });
  await assert.rejects(exports.run(1), (e) => e instanceof ComponentTrap && /offline/.test(e.message) && e.cause === failure);
});

test('an import that is not listed may not return a Promise: the trap says what to do', async () => {
  const { exports } = await component.instantiate(host(), { suspendingImports: ['upper'] });
  await assert.rejects(exports.run(1), (e) => e instanceof ComponentTrap && /returned a Promise, but its WIT type is synchronous.*suspendingImports/.test(e.message));
});

// A stack that traps under JSPI brings its reason a microtask later (its Promise): a call
// made in between is refused with that reason, not a placeholder.
test('calls made right after a trap are refused with its reason', async () => {
  const { exports } = await component.instantiate(host(), { suspendingImports: SUSPENDING });
  const results = await Promise.allSettled([exports.boom(), exports.run(1), exports.plain(1)]);
  assert.match(results[0].reason.message, /unreachable/);
  assert.match(results[1].reason.message, /^cannot enter component instance: it trapped earlier \(.*unreachable.*\)$/);
  assert.match(results[2].reason.message, /^cannot enter component instance: it trapped earlier \(.*unreachable.*\)$/);
});

test('suspendingImports must name imports', async () => {
  await assert.rejects(component.instantiate(host(), { suspendingImports: 'slow-double' }), /expected an array of import names/);
  await assert.rejects(component.instantiate(host(), { suspendingImports: [1] }), /expected an array of import names/);
});

test('without the option, a Promise from a synchronous import traps, naming the option', async () => {
  const { exports } = await component.instantiate(host());
  assert.throws(() => exports.run(1), (e) => e instanceof ComponentTrap && /suspendingImports/.test(e.message));
});

test('under Asyncify (forced where JSPI exists) the guest waits for the Promise too, each set of suspending imports rewritten once', async () => {
  const rewritten = await Component.compile(bytes, { suspendWith: 'asyncify' });
  const calls = [];
  const { exports } = await rewritten.instantiate(host(calls), { suspendingImports: SUSPENDING });
  assert.deepEqual(await Promise.all([exports.run(1), exports.run(2), exports.echo('abc')]), [3, 5, 'ABC']);
  const again = await rewritten.instantiate(host(), { suspendingImports: SUSPENDING });
  assert.equal(await again.exports.run(5), 11);
});
