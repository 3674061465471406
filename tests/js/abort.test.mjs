// Cancelling a host call of an async export with an AbortSignal, passed as
// `{ signal }` after the arguments (the spec's OnCancel from the host): a call that has not
// started ends at once without running guest code; a started one gets TASK_CANCELLED and
// rejects with the signal's reason once the guest acknowledges with task.cancel (or
// resolves if the guest returns a value anyway).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const component = await Component.compile(await watToBytes(`(component
  (core func $task.cancel (canon task.cancel))
  (core func $task.return (canon task.return (result u32)))
  (core func $ws.new (canon waitable-set.new))
  (core func $bp.inc (canon backpressure.inc))
  (core func $bp.dec (canon backpressure.dec))
  (core module $m
    (import "" "cancel" (func $cancel))
    (import "" "return" (func $return (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "bp.inc" (func $bp.inc))
    (import "" "bp.dec" (func $bp.dec))
    (global $starts (mut i32) (i32.const 0))
    (global $cancels (mut i32) (i32.const 0))
    ;; WAITs on an empty set: only a cancellation ends it
    (func (export "wait-forever") (param $x i32) (result i32)
      (global.set $starts (i32.add (global.get $starts) (i32.const 1)))
      (i32.or (i32.const 2) (i32.shl (call $ws.new) (i32.const 4))))
    ;; acknowledges TASK_CANCELLED (6) with task.cancel
    (func (export "polite-cb") (param $ev i32) (param i32 i32) (result i32)
      (if (i32.ne (local.get $ev) (i32.const 6)) (then unreachable))
      (global.set $cancels (i32.add (global.get $cancels) (i32.const 1)))
      (call $cancel)
      (i32.const 0))
    ;; answers TASK_CANCELLED with a value anyway
    (func (export "stubborn-cb") (param $ev i32) (param i32 i32) (result i32)
      (if (i32.ne (local.get $ev) (i32.const 6)) (then unreachable))
      (call $return (i32.const 7))
      (i32.const 0))
    (func (export "quick") (param $x i32) (result i32)
      (call $return (local.get $x))
      (i32.const 0))
    (func (export "never-cb") (param i32 i32 i32) (result i32) unreachable)
    (func (export "starts") (result i32) (global.get $starts))
    (func (export "cancels") (result i32) (global.get $cancels))
    (func (export "block") (call $bp.inc))
    (func (export "unblock") (call $bp.dec)))
  (core instance $i (instantiate $m (with "" (instance
    (export "cancel" (func $task.cancel))
    (export "return" (func $task.return))
    (export "ws.new" (func $ws.new))
    (export "bp.inc" (func $bp.inc))
    (export "bp.dec" (func $bp.dec))))))
  (func (export "polite") async (param "x" u32) (result u32)
    (canon lift (core func $i "wait-forever") async (callback (core func $i "polite-cb"))))
  (func (export "stubborn") async (param "x" u32) (result u32)
    (canon lift (core func $i "wait-forever") async (callback (core func $i "stubborn-cb"))))
  (func (export "quick") async (param "x" u32) (result u32)
    (canon lift (core func $i "quick") async (callback (core func $i "never-cb"))))
  (func (export "starts") (result u32) (canon lift (core func $i "starts")))
  (func (export "cancels") (result u32) (canon lift (core func $i "cancels")))
  (func (export "block") (canon lift (core func $i "block")))
  (func (export "unblock") (canon lift (core func $i "unblock"))))`));

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('aborting a started call delivers TASK_CANCELLED; the call rejects with the reason once the guest acknowledges', async () => {
  const { polite, cancels } = (await component.instantiate()).exports;
  const controller = new AbortController();
  const call = polite(1, { signal: controller.signal });
  await turn();
  assert.equal(cancels(), 0);
  const reason = new Error('user went away');
  controller.abort(reason);
  await assert.rejects(call, (e) => e === reason);
  assert.equal(cancels(), 1);
});

test('a signal that already aborted rejects at once and runs no guest code', async () => {
  const { polite, starts } = (await component.instantiate()).exports;
  const reason = new Error('too late');
  await assert.rejects(polite(1, { signal: AbortSignal.abort(reason) }), (e) => e === reason);
  assert.equal(starts(), 0);
});

test('aborting a call queued behind backpressure ends it without running it', async () => {
  const { polite, starts, block, unblock } = (await component.instantiate()).exports;
  block();
  const controller = new AbortController();
  const call = polite(1, { signal: controller.signal });
  await turn();
  controller.abort();
  await assert.rejects(call, (e) => e.name === 'AbortError');
  unblock();
  await turn();
  assert.equal(starts(), 0);
});

test('a guest may answer the cancellation with a value: the call resolves with it', async () => {
  const { stubborn } = (await component.instantiate()).exports;
  const controller = new AbortController();
  const call = stubborn(1, { signal: controller.signal });
  await turn();
  controller.abort();
  assert.equal(await call, 7);
});

test('aborting after the call settled changes nothing', async () => {
  const { quick } = (await component.instantiate()).exports;
  const controller = new AbortController();
  assert.equal(await quick(5, { signal: controller.signal }), 5);
  controller.abort();
  assert.equal(await quick(6), 6);
});

test('call options are one extra plain object of known keys; other extra arguments are ignored', async () => {
  const { quick } = (await component.instantiate()).exports;
  await assert.rejects(quick(1, { signal: 'no' }), TypeError);
  await assert.rejects(quick(1, { timeout: 5 }), /unknown call option `timeout`/);
  assert.equal(await quick(1, 2), 1, 'an extra argument that is not an options object is ignored');
  assert.equal(await quick(2, new Map()), 2);
  await assert.rejects(quick(), /expected 1 argument, got 0/);
});

// An abort from inside an import the guest called: the task's instance is on the stack, so
// the spec's may_enter_from fails and the cancellation stays pending (PENDING_CANCEL): the
// waiting task is not woken; it hears TASK_CANCELLED at its next cancellable wait.
const onStack = await Component.compile(await watToBytes(`(component
  (import "ping" (func $ping async (result u32)))
  (import "hook" (func $hook))
  (core module $libc (memory (export "memory") 1))
  (core instance $libc (instantiate $libc))
  (core func $ping-async (canon lower (func $ping) async (memory (core memory $libc "memory"))))
  (core func $hook-sync (canon lower (func $hook)))
  (core func $task.cancel (canon task.cancel))
  (core func $ws.new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $sub.drop (canon subtask.drop))
  (core module $m
    (import "" "ping" (func $ping (param i32) (result i32)))
    (import "" "hook" (func $hook))
    (import "" "cancel" (func $cancel))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "sub.drop" (func $sub.drop (param i32)))
    (global $ws (mut i32) (i32.const 0))
    (global $events (mut i32) (i32.const 0))
    ;; pings the host and WAITs for the subtask
    (func (export "parked") (result i32)
      (local $r i32)
      (global.set $ws (call $ws.new))
      (local.set $r (call $ping (i32.const 0)))
      (call $join (i32.shr_u (local.get $r) (i32.const 4)) (global.get $ws))
      (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))
    ;; records each event code as a decimal digit; after the subtask's event, WAITs again
    ;; on the now empty set; acknowledges TASK_CANCELLED (6)
    (func (export "parked-cb") (param $ev i32) (param $i i32) (param i32) (result i32)
      (global.set $events (i32.add (i32.mul (global.get $events) (i32.const 10)) (local.get $ev)))
      (if (i32.eq (local.get $ev) (i32.const 6)) (then (call $cancel) (return (i32.const 0))))
      (call $sub.drop (local.get $i))
      (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))
    (func (export "poke") (call $hook))
    (func (export "events") (result i32) (global.get $events)))
  (core instance $i (instantiate $m (with "" (instance
    (export "ping" (func $ping-async))
    (export "hook" (func $hook-sync))
    (export "cancel" (func $task.cancel))
    (export "ws.new" (func $ws.new))
    (export "join" (func $join))
    (export "sub.drop" (func $sub.drop))))))
  (func (export "parked") async (result u32)
    (canon lift (core func $i "parked") async (callback (core func $i "parked-cb"))))
  (func (export "poke") (canon lift (core func $i "poke")))
  (func (export "events") (result u32) (canon lift (core func $i "events"))))`));

test('an abort while the instance is on the stack stays pending until the task next waits', async () => {
  let answer;
  let hooked = () => {};
  const imports = { ping: () => new Promise((resolve) => { answer = resolve; }), hook: () => hooked() };
  const { parked, poke, events } = (await onStack.instantiate(imports)).exports;
  const controller = new AbortController();
  const reason = new Error('aborted from inside an import');
  const call = parked({ signal: controller.signal });
  await turn();
  hooked = () => controller.abort(reason);
  poke();
  await turn();
  assert.equal(events(), 0, 'the waiting task was not woken by the abort');
  answer(1);  // the subtask returns: the callback hears it (1), waits again and hears the cancellation (6)
  await assert.rejects(call, (e) => e === reason);
  assert.equal(events(), 16);
});
