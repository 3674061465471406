// instance.taskTree(): the live async state as the engine sees it (abi/async/snapshot.h),
// here for async exports with the callback ABI: a task WAITing on a waitable set, a task
// YIELDing, and a call queued behind backpressure. Looking must change nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const component = await Component.compile(await watToBytes(`(component
  (core func $task.return-u32 (canon task.return (result u32)))
  (core func $ws.new (canon waitable-set.new))
  (core func $bp.inc (canon backpressure.inc))
  (core func $bp.dec (canon backpressure.dec))
  (core module $m
    (import "" "return-u32" (func $return-u32 (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "bp.inc" (func $bp.inc))
    (import "" "bp.dec" (func $bp.dec))
    ;; park(): WAITs on a new, empty set: no event ever comes
    (func (export "park") (result i32)
      (i32.or (i32.const 2) (i32.shl (call $ws.new) (i32.const 4))))
    ;; answer(x): returns x + 1 at once
    (func (export "answer") (param $x i32) (result i32)
      (call $return-u32 (i32.add (local.get $x) (i32.const 1)))
      (i32.const 0))
    ;; yield-once(): YIELDs; the callback returns 5
    (func (export "yield-once") (result i32) (i32.const 1))
    (func (export "yield-cb") (param i32 i32 i32) (result i32)
      (call $return-u32 (i32.const 5))
      (i32.const 0))
    (func (export "never-cb") (param i32 i32 i32) (result i32) unreachable)
    (func (export "block") (call $bp.inc))
    (func (export "unblock") (call $bp.dec)))
  (core instance $i (instantiate $m (with "" (instance
    (export "return-u32" (func $task.return-u32)) (export "ws.new" (func $ws.new))
    (export "bp.inc" (func $bp.inc)) (export "bp.dec" (func $bp.dec))))))
  (func (export "park") async (result u32)
    (canon lift (core func $i "park") async (callback (core func $i "never-cb"))))
  (func (export "answer") async (param "x" u32) (result u32)
    (canon lift (core func $i "answer") async (callback (core func $i "never-cb"))))
  (func (export "yield-once") async (result u32)
    (canon lift (core func $i "yield-once") async (callback (core func $i "yield-cb"))))
  (func (export "block") (canon lift (core func $i "block")))
  (func (export "unblock") (canon lift (core func $i "unblock")))
)`));

// Lets queued microtasks (the driver's drains) run, without timers.
const ticks = async (n = 10) => { for (let k = 0; k < n; k++) await null; };

test('a fresh instance: its instances, no tasks, no subtasks', async () => {
  const instance = await component.instantiate();
  const tree = instance.taskTree();
  assert.ok(tree.instances.length >= 1);
  assert.deepEqual(tree.instances[0], {
    id: 0, parent: null, backpressure: 0, waitingToEnter: 0, lockedBy: null,
    waitableSets: [], streams: [], futures: [],
  });
  assert.deepEqual(tree.tasks, []);
  assert.deepEqual(tree.subtasks, []);
});

test('a task WAITing on a waitable set: its thread waits on that set, which it holds', async () => {
  const instance = await component.instantiate();
  // Never settles: at the end of the run Node's deadlock detection rejects it.
  instance.exports.park().catch(() => {});
  await ticks();
  const tree = instance.taskTree();
  assert.equal(tree.tasks.length, 1);
  const [task] = tree.tasks;
  assert.equal(task.export, 'park');
  assert.equal(task.instance, 0);
  assert.equal(task.lift, 'async-callback');
  assert.equal(task.asyncType, true);
  assert.equal(task.state, 'started');
  assert.equal(task.outcome, null);
  assert.equal(task.callerSubtask, null);
  assert.equal(task.threads.length, 1);
  const [thread] = task.threads;
  assert.equal(thread.implicit, true);
  assert.equal(thread.state, 'waiting');
  assert.equal(thread.cancellable, true);
  assert.equal(thread.waitingFor.kind, 'callback-wait');
  const sets = tree.instances[0].waitableSets;
  assert.deepEqual(sets, [{ handle: thread.waitingFor.waitableSet, members: [], waiting: 1, pendingEvents: [] }]);
  // The instance lock was released when the task waited.
  assert.equal(tree.instances[0].lockedBy, null);
});

test('backpressure: the queued call waits at the gate; looking changes nothing; resolved tasks are gone', async () => {
  const instance = await component.instantiate();
  const { block, unblock, answer, yieldOnce } = instance.exports;
  block();
  const p = answer(7);
  await ticks();
  let tree = instance.taskTree();
  assert.equal(tree.instances[0].backpressure, 1);
  assert.equal(tree.instances[0].waitingToEnter, 1);
  assert.equal(tree.tasks.length, 1);
  assert.equal(tree.tasks[0].export, 'answer');
  assert.equal(tree.tasks[0].state, 'initial');
  assert.equal(tree.tasks[0].threads[0].waitingFor.kind, 'enter-gate');
  unblock();
  assert.equal(await p, 8);

  const y = yieldOnce();
  tree = instance.taskTree();
  assert.equal(tree.tasks.length, 1);
  assert.equal(tree.tasks[0].export, 'yieldOnce');
  assert.equal(tree.tasks[0].threads[0].waitingFor.kind, 'callback-yield');
  assert.equal(await y, 5);
  tree = instance.taskTree();
  assert.deepEqual(tree.tasks, []);
  assert.equal(tree.instances[0].backpressure, 0);
});

test('each call returns a new plain object', async () => {
  const instance = await component.instantiate();
  const a = instance.taskTree();
  a.tasks.push('scribble');
  assert.deepEqual(instance.taskTree().tasks, []);
});
