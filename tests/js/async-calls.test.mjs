// Calls out of an async task through `canon lower ... async` (CanonicalABI.md "canon
// lower"): to a host function, whose Promise settling resolves the guest's subtask, and to
// another component's async export, which runs as a task whose caller is the subtask.
// Also: subtask.cancel of a pending host call, and the rule that a synchronous task may not
// call an async function synchronously.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { componentBytes, watToBytes } from '../helpers/components.mjs';

// sum(a, b) and cancel-fetch(x): tests/components/async-host-caller.wat.
const hostCaller = await Component.compile(await componentBytes('async-host-caller'));

test('an async-lowered host import returning a Promise: the calls run concurrently and resolve the subtasks', async () => {
  const started = [];
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const { sum } = (await hostCaller.instantiate({
    'fetch-value': async (x) => {
      started.push(x);
      await gate;
      return x * 10;
    },
  })).exports;
  const result = sum(3, 4);
  await new Promise((resolve) => setImmediate(resolve));
  // Both host calls started before either finished.
  assert.deepEqual(started, [3, 4]);
  release();
  assert.equal(await result, 70);
});

test('an async-lowered host import that returns a plain value resolves on the spot (RETURNED)', async () => {
  const { sum } = (await hostCaller.instantiate({ 'fetch-value': (x) => x + 1 })).exports;
  assert.equal(await sum(10, 20), 32);
});

test('a rejected host Promise traps the guest: the export rejects and the instance locks down', async () => {
  const { sum } = (await hostCaller.instantiate({
    'fetch-value': async () => { throw new Error('backend down'); },
  })).exports;
  await assert.rejects(sum(1, 2), (e) => e instanceof ComponentTrap && /backend down/.test(e.message));
  await assert.rejects(sum(1, 2), /trapped earlier/);
});

test('a host Promise rejected without a reason traps too (it is no answer)', async () => {
  const { sum } = (await hostCaller.instantiate({
    'fetch-value': () => Promise.reject(undefined),
  })).exports;
  await assert.rejects(sum(1, 2), (e) => e instanceof ComponentTrap && /rejected: undefined/.test(e.message));
});

test('subtask.cancel of a pending host call: CANCELLED_BEFORE_RETURNED, no result stored', async () => {
  let settle;
  const { cancelFetch } = (await hostCaller.instantiate({
    'fetch-value': () => new Promise((resolve) => { settle = resolve; }),
  })).exports;
  assert.equal(await cancelFetch(5), 4);
  // The host settling afterwards changes nothing.
  settle(99);
  await new Promise((resolve) => setImmediate(resolve));
});

// An async host import that declares a parameter more than the WIT function has gets
// { signal } there: an AbortSignal for the call (its AbortController made only when read).
test('an async host import\'s { signal } aborts when the guest cancels the call', async () => {
  let signal;
  let args;
  const { cancelFetch } = (await hostCaller.instantiate({
    'fetch-value': (x, options) => {
      args = [x, options];
      signal = options.signal;
      return new Promise(() => {});
    },
  })).exports;
  assert.equal(await cancelFetch(5), 4);
  assert.equal(args.length, 2);
  assert.equal(args[0], 5);
  assert.ok(signal instanceof AbortSignal);
  assert.equal(signal.aborted, true);
  assert.equal(signal.reason.name, 'AbortError');
  assert.match(signal.reason.message, /the guest cancelled its call of `fetch-value`/);
});

test('a host function that declares only the parameters (or takes ...args) gets no options argument', async () => {
  const received = [];
  const { sum } = (await hostCaller.instantiate({ 'fetch-value': (...args) => { received.push(args); return args[0] * 10; } })).exports;
  assert.equal(await sum(1, 2), 30);
  assert.deepEqual(received, [[1], [2]]);
});

test('an async host import\'s { signal } aborts with the trap when the guest\'s instance traps', async () => {
  const signals = [];
  const fetches = [];
  const { sum } = (await hostCaller.instantiate({
    'fetch-value': (x, { signal }) => {
      signals.push(signal);
      return new Promise((resolve, reject) => fetches.push({ resolve, reject }));
    },
  })).exports;
  const pending = sum(1, 2);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(signals.length, 2);
  fetches[0].reject(new Error('offline'));  // a rejection traps the guest
  await assert.rejects(pending, /offline/);
  assert.equal(signals[1].aborted, true, 'the other call in flight is aborted');
  assert.ok(signals[1].reason instanceof ComponentTrap);
});

// $callee's double(x) YIELDs once, then returns 2x (x kept in its context slot). $caller's plus-one-double(x) calls it
// through an async lower, waits for the subtask and returns the result + 1; its sync
// export sync-double calls it through a sync lower, which a sync task may not do.
const composed = await Component.compile(await watToBytes(`(component
  (component $callee
    (core func $return (canon task.return (result u32)))
    (core func $ctx.get (canon context.get i32 0))
    (core func $ctx.set (canon context.set i32 0))
    (core module $m
      (import "" "return" (func $return (param i32)))
      (import "" "ctx.get" (func $ctx.get (result i32)))
      (import "" "ctx.set" (func $ctx.set (param i32)))
      ;; x lives in the task's context slot across the yield
      (func (export "double") (param $x i32) (result i32)
        (call $ctx.set (local.get $x))
        (i32.const 1))
      (func (export "double-cb") (param i32 i32 i32) (result i32)
        (call $return (i32.mul (call $ctx.get) (i32.const 2)))
        (i32.const 0)))
    (core instance $i (instantiate $m (with "" (instance
      (export "return" (func $return))
      (export "ctx.get" (func $ctx.get))
      (export "ctx.set" (func $ctx.set))))))
    (func (export "double") async (param "x" u32) (result u32)
      (canon lift (core func $i "double") async (callback (core func $i "double-cb")))))
  (component $caller
    (import "double" (func $double async (param "x" u32) (result u32)))
    (core module $libc (memory (export "memory") 1))
    (core instance $libc (instantiate $libc))
    (core func $double-async (canon lower (func $double) async (memory (core memory $libc "memory"))))
    (core func $double-sync (canon lower (func $double)))
    (core func $return (canon task.return (result u32)))
    (core func $ws.new (canon waitable-set.new))
    (core func $join (canon waitable.join))
    (core func $sub.drop (canon subtask.drop))
    (core func $ctx.get (canon context.get i32 0))
    (core func $ctx.set (canon context.set i32 0))
    (core module $m
      (import "" "ctx.get" (func $ctx.get (result i32)))
      (import "" "ctx.set" (func $ctx.set (param i32)))
      (import "" "memory" (memory 1))
      (import "" "double-async" (func $double-async (param i32 i32) (result i32)))
      (import "" "double-sync" (func $double-sync (param i32) (result i32)))
      (import "" "return" (func $return (param i32)))
      (import "" "ws.new" (func $ws.new (result i32)))
      (import "" "join" (func $join (param i32 i32)))
      (import "" "sub.drop" (func $sub.drop (param i32)))
      (func (export "plus-one-double") (param $x i32) (result i32)
        (local $r i32) (local $ws i32)
        ;; each call's result goes to its own out-pointer, x * 8, kept in the context slot
        (call $ctx.set (i32.mul (local.get $x) (i32.const 8)))
        (local.set $r (call $double-async (local.get $x) (call $ctx.get)))
        ;; the callee yielded: STARTED (1) with a subtask index
        (if (i32.ne (i32.and (local.get $r) (i32.const 0xf)) (i32.const 1)) (then unreachable))
        (local.set $ws (call $ws.new))
        (call $join (i32.shr_u (local.get $r) (i32.const 4)) (local.get $ws))
        (i32.or (i32.const 2) (i32.shl (local.get $ws) (i32.const 4))))
      (func (export "plus-one-double-cb") (param $ev i32) (param $i i32) (param $state i32) (result i32)
        (if (i32.ne (local.get $ev) (i32.const 1)) (then unreachable))
        (if (i32.ne (local.get $state) (i32.const 2)) (then unreachable))
        (call $sub.drop (local.get $i))
        (call $return (i32.add (i32.load (call $ctx.get)) (i32.const 1)))
        (i32.const 0))
      (func (export "sync-double") (param $x i32) (result i32)
        (call $double-sync (local.get $x))))
    (core instance $i (instantiate $m (with "" (instance
      (export "ctx.get" (func $ctx.get))
      (export "ctx.set" (func $ctx.set))
      (export "memory" (memory $libc "memory"))
      (export "double-async" (func $double-async))
      (export "double-sync" (func $double-sync))
      (export "return" (func $return))
      (export "ws.new" (func $ws.new))
      (export "join" (func $join))
      (export "sub.drop" (func $sub.drop))))))
    (func (export "plus-one-double") async (param "x" u32) (result u32)
      (canon lift (core func $i "plus-one-double") async (callback (core func $i "plus-one-double-cb"))))
    (func (export "sync-double") (param "x" u32) (result u32)
      (canon lift (core func $i "sync-double"))))
  (instance $ce (instantiate $callee))
  (instance $cr (instantiate $caller (with "double" (func $ce "double"))))
  (export "plus-one-double" (func $cr "plus-one-double"))
  (export "sync-double" (func $cr "sync-double")))`));

test('an async lower into another component: the callee runs as a subtask and its result reaches the caller', async () => {
  const { plusOneDouble } = (await composed.instantiate()).exports;
  assert.equal(await plusOneDouble(20), 41);
  // Concurrent calls each get their own subtask.
  assert.deepEqual(await Promise.all([plusOneDouble(1), plusOneDouble(2), plusOneDouble(3)]), [3, 5, 7]);
});

test('a synchronous task calling an async function synchronously traps before the callee runs', async () => {
  const { syncDouble } = (await composed.instantiate()).exports;
  assert.throws(() => syncDouble(2), (e) => e instanceof ComponentTrap && /cannot block a synchronous task before returning/.test(e.message));
});
