// Async exports with the callback ABI (CanonicalABI.md "canon lift", callback codes
// EXIT = 0, YIELD = 1, WAIT = 2 | set << 4): the host gets a Promise that task.return
// resolves; YIELD and WAIT come back through the callback from a microtask; traps reject
// the Promise and lock the instance down; backpressure queues async-typed calls.
// (A wasm trap reaches JS as the engine's WebAssembly.RuntimeError, as in sync calls; traps
// the runtime raises are ComponentTraps, a subclass.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap, detectDeadlocks } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const bytes = await watToBytes(`(component
  (core module $libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $heap))
      (global.set $heap (i32.add (global.get $heap) (local.get 3)))
      ;; a bump allocator that keeps the old bytes (the host's UTF-8 store grows a string)
      (memory.copy (local.get $p) (local.get 0) (select (local.get 1) (local.get 3) (i32.lt_u (local.get 1) (local.get 3))))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (core func $task.return-u32 (canon task.return (result u32)))
  (core func $task.return-string (canon task.return (result string)
    (memory (core memory $libc "memory")) string-encoding=utf8))
  (core func $ws.new (canon waitable-set.new))
  (core func $ws.wait (canon waitable-set.wait (memory (core memory $libc "memory"))))
  (core func $ws.poll (canon waitable-set.poll (memory (core memory $libc "memory"))))
  (core func $ws.drop (canon waitable-set.drop))
  (core func $bp.inc (canon backpressure.inc))
  (core func $bp.dec (canon backpressure.dec))
  (core func $ctx.get (canon context.get i32 0))
  (core func $ctx.set (canon context.set i32 0))
  (core module $m
    (import "" "memory" (memory 1))
    (import "" "return-u32" (func $return-u32 (param i32)))
    (import "" "return-string" (func $return-string (param i32 i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "ws.wait" (func $ws.wait (param i32 i32) (result i32)))
    (import "" "ws.poll" (func $ws.poll (param i32 i32) (result i32)))
    (import "" "ws.drop" (func $ws.drop (param i32)))
    (import "" "bp.inc" (func $bp.inc))
    (import "" "bp.dec" (func $bp.dec))
    (import "" "ctx.get" (func $ctx.get (result i32)))
    (import "" "ctx.set" (func $ctx.set (param i32)))
    (global $yields (mut i32) (i32.const 0))
    (global $events (mut i32) (i32.const 0))
    ;; answer(x): returns x + 1 at once, then EXIT
    (func (export "answer") (param $x i32) (result i32)
      (call $return-u32 (i32.add (local.get $x) (i32.const 1)))
      (i32.const 0))
    ;; echo(s): returns its argument string
    (func (export "echo") (param $p i32) (param $n i32) (result i32)
      (call $return-string (local.get $p) (local.get $n))
      (i32.const 0))
    ;; yielder(): YIELDs three times; the callback counts the NONE events, then returns
    ;; yields * 10 + the sum of the event codes it got (0)
    (func (export "yielder") (result i32)
      (global.set $yields (i32.const 0))
      (global.set $events (i32.const 0))
      (i32.const 1))
    (func (export "yield-cb") (param $ev i32) (param $p1 i32) (param $p2 i32) (result i32)
      (global.set $events (i32.add (global.get $events) (i32.add (local.get $ev) (i32.add (local.get $p1) (local.get $p2)))))
      (global.set $yields (i32.add (global.get $yields) (i32.const 1)))
      (if (i32.lt_u (global.get $yields) (i32.const 3)) (then (return (i32.const 1))))
      (call $return-u32 (i32.add (i32.mul (global.get $yields) (i32.const 10)) (global.get $events)))
      (i32.const 0))
    ;; poller(): polls an empty set; returns code + p1 + p2 as stored (all zero; memory
    ;; at 16 held 0xffffffff before)
    (func (export "poller") (result i32)
      (local $ws i32) (local $code i32)
      (i32.store (i32.const 16) (i32.const -1))
      (i32.store (i32.const 20) (i32.const -1))
      (local.set $ws (call $ws.new))
      (local.set $code (call $ws.poll (local.get $ws) (i32.const 16)))
      (call $ws.drop (local.get $ws))
      (call $return-u32 (i32.add (local.get $code)
        (i32.add (i32.load (i32.const 16)) (i32.load (i32.const 20)))))
      (i32.const 0))
    ;; waiter(): WAITs on an empty set (parked until an event that never comes)
    (func (export "waiter") (result i32)
      (i32.or (i32.const 2) (i32.shl (call $ws.new) (i32.const 4))))
    ;; blocking-wait(): waitable-set.wait on an empty set blocks the stack: needs JSPI
    (func (export "blocking-wait") (result i32)
      (drop (call $ws.wait (call $ws.new) (i32.const 16)))
      (i32.const 0))
    (func (export "fails") (result i32) unreachable)
    (func (export "twice") (result i32)
      (call $return-u32 (i32.const 1))
      (call $return-u32 (i32.const 2))
      (i32.const 0))
    (func (export "no-return") (result i32) (i32.const 0))
    (func (export "stackful") (call $return-u32 (i32.const 1)))
    (func (export "never-cb") (param i32 i32 i32) (result i32) unreachable)
    ;; keeper(x): context.set(0, x), YIELD; the callback returns context.get(0)
    (func (export "keeper") (param $x i32) (result i32)
      (call $ctx.set (local.get $x))
      (i32.const 1))
    (func (export "keeper-cb") (param i32 i32 i32) (result i32)
      (call $return-u32 (call $ctx.get))
      (i32.const 0))
    (func (export "sync-return") (call $return-u32 (i32.const 1)))
    (func (export "block") (call $bp.inc))
    (func (export "unblock") (call $bp.dec)))
  (core instance $i (instantiate $m (with "" (instance
    (export "memory" (memory $libc "memory"))
    (export "return-u32" (func $task.return-u32))
    (export "return-string" (func $task.return-string))
    (export "ws.new" (func $ws.new)) (export "ws.wait" (func $ws.wait))
    (export "ws.poll" (func $ws.poll)) (export "ws.drop" (func $ws.drop))
    (export "bp.inc" (func $bp.inc)) (export "bp.dec" (func $bp.dec))
    (export "ctx.get" (func $ctx.get)) (export "ctx.set" (func $ctx.set))))))
  (func (export "answer") async (param "x" u32) (result u32)
    (canon lift (core func $i "answer") async (callback (core func $i "never-cb"))))
  (func (export "echo") async (param "s" string) (result string)
    (canon lift (core func $i "echo") async (callback (core func $i "never-cb"))
      (memory (core memory $libc "memory")) (realloc (core func $libc "realloc")) string-encoding=utf8))
  (func (export "yielder") async (result u32)
    (canon lift (core func $i "yielder") async (callback (core func $i "yield-cb"))))
  (func (export "poller") async (result u32)
    (canon lift (core func $i "poller") async (callback (core func $i "never-cb"))))
  (func (export "waiter") async (result u32)
    (canon lift (core func $i "waiter") async (callback (core func $i "never-cb"))))
  (func (export "blocking-wait") async (result u32)
    (canon lift (core func $i "blocking-wait") async (callback (core func $i "never-cb"))))
  (func (export "fails") async (result u32)
    (canon lift (core func $i "fails") async (callback (core func $i "never-cb"))))
  (func (export "twice") async (result u32)
    (canon lift (core func $i "twice") async (callback (core func $i "never-cb"))))
  (func (export "no-return") async (result u32)
    (canon lift (core func $i "no-return") async (callback (core func $i "never-cb"))))
  (func (export "stackful") async (result u32)
    (canon lift (core func $i "stackful") async))
  (func (export "keeper") async (param "x" u32) (result u32)
    (canon lift (core func $i "keeper") async (callback (core func $i "keeper-cb"))))
  (func (export "sync-return") (canon lift (core func $i "sync-return")))
  (func (export "block") (canon lift (core func $i "block")))
  (func (export "unblock") (canon lift (core func $i "unblock")))
)`);
const component = await Component.compile(bytes);

// Lets queued microtasks (the driver's drains) run, without timers.
const ticks = async (n = 10) => { for (let k = 0; k < n; k++) await null; };

test('an async export that task.returns at once resolves its Promise with the value', async () => {
  const { answer } = (await component.instantiate()).exports;
  const p = answer(41);
  assert.ok(p instanceof Promise);
  assert.equal(await p, 42);
  assert.deepEqual(await Promise.all([answer(1), answer(2)]), [2, 3]);
});

test('task.return lifts a string through the memory option', async () => {
  const { echo } = (await component.instantiate()).exports;
  assert.equal(await echo('héllo, async'), 'héllo, async');
});

test('YIELD comes back through the callback with event NONE (0, 0, 0)', async () => {
  const { yielder } = (await component.instantiate()).exports;
  assert.equal(await yielder(), 30);
});

test('context.get/set cells belong to the task: kept across callbacks, separate per task', async () => {
  const { keeper } = (await component.instantiate()).exports;
  assert.deepEqual(await Promise.all([keeper(5), keeper(6)]), [5, 6]);
});

test('task.return from a sync-lifted export traps', async () => {
  const { syncReturn } = (await component.instantiate()).exports;
  assert.throws(() => syncReturn(), /task.return called from a synchronously-lifted export/);
});

test('waitable-set.poll of an empty set writes NONE (p1 = p2 = 0) to guest memory', async () => {
  const { poller } = (await component.instantiate()).exports;
  assert.equal(await poller(), 0);
});

test('a task WAITing on a set with no event stays pending', async () => {
  const { waiter, answer } = (await component.instantiate()).exports;
  let settled = false;
  waiter().then(() => { settled = true; }, () => { settled = true; });
  await ticks();
  assert.equal(settled, false);
  // The instance is not locked: it released the lock when it waited.
  assert.equal(await answer(1), 2);
});

test('a trap rejects the Promise with a ComponentTrap and locks the instance down', async () => {
  const { fails, answer } = (await component.instantiate()).exports;
  await assert.rejects(fails(), (e) => e instanceof WebAssembly.RuntimeError && /unreachable/.test(e.message));
  await assert.rejects(answer(1), (e) => e instanceof ComponentTrap && /trapped earlier/.test(e.message));
});

test('task.return twice traps', async () => {
  const { twice } = (await component.instantiate()).exports;
  await assert.rejects(twice(), ComponentTrap);
});

test('exiting without task.return traps', async () => {
  const { noReturn } = (await component.instantiate()).exports;
  await assert.rejects(noReturn(), ComponentTrap);
});

test("waitable-set.wait that would block a stack fails naming JSPI (suspendWith: 'jspi', no JSPI)", { skip: typeof WebAssembly.Suspending === 'function' && 'this engine has JSPI: the stack suspends' }, async () => {
  const jspiOnly = await Component.compile(bytes, { suspendWith: 'jspi' });
  const { blockingWait } = (await jspiOnly.instantiate()).exports;
  await assert.rejects(blockingWait(), (e) => e instanceof ComponentTrap && /JSPI/.test(e.message));
});

test('backpressure queues an async call until it is released', async () => {
  const { block, unblock, answer } = (await component.instantiate()).exports;
  block();
  let value;
  const p = answer(7).then((v) => { value = v; });
  const q = answer(8);
  await ticks();
  assert.equal(value, undefined);
  unblock();
  await p;
  assert.equal(value, 8);
  assert.equal(await q, 9);
});

test('a pending trap from a waiting task: other tasks are rejected too', async () => {
  const { waiter, fails } = (await component.instantiate()).exports;
  const w = waiter();
  await assert.rejects(fails(), WebAssembly.RuntimeError);
  await assert.rejects(w, WebAssembly.RuntimeError);
});

test('argument errors reject the Promise with a TypeError', async () => {
  const { answer } = (await component.instantiate()).exports;
  await assert.rejects(answer(), TypeError);
  await assert.rejects(answer('x'), TypeError);
});

test('a stackful async export (no callback) that does not block returns through task.return', async () => {
  const { stackful } = (await component.instantiate()).exports;
  assert.equal(await stackful(), 1);
});

test('detectDeadlocks() rejects a call whose task waits for nothing anyone can provide', async () => {
  const { waiter, answer } = (await component.instantiate()).exports;
  const w = waiter();
  await ticks();
  assert.ok(detectDeadlocks() >= 1);
  await assert.rejects(w, (e) => e instanceof ComponentTrap && e.message === 'deadlock detected: event loop cannot make further progress');
  await assert.rejects(answer(1), /trapped earlier/);
});

test('a call that never returns stalls nothing else: other instances (and this one) go on', async () => {
  const a = (await component.instantiate()).exports;
  const b = (await component.instantiate()).exports;
  const stuck = a.waiter();
  stuck.catch(() => {});  // rejected at the end of the run by Node's deadlock detection
  assert.equal(await b.answer(41), 42);
  assert.equal(await a.answer(1), 2);
  assert.equal(await b.yielder(), 30);
});
