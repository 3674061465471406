// 🧵 Cooperative threads (CanonicalABI.md "canon thread.new-indirect" ...): a thread runs a
// function from the component's table with one argument, as a thread of the calling task.
// A thread that must suspend does so with JSPI, or else by Asyncify (the component's core
// module is rewritten when compiled); compiled with suspendWith: 'jspi' where the engine
// lacks JSPI, it fails naming JSPI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const bytes = await watToBytes(`(component
  (core module $tbl (table (export "t") 2 funcref))
  (core instance $tbl (instantiate $tbl))
  (core type $start (func (param i32)))
  (core func $new (canon thread.new-indirect $start (core table $tbl "t")))
  (core func $resume-later (canon thread.resume-later))
  (core func $yield-then-resume (canon thread.yield-then-resume))
  (core func $suspend (canon thread.suspend))
  (core func $return (canon task.return (result u32)))
  (core module $m
    (import "" "t" (table 2 funcref))
    (import "" "new" (func $new (param i32 i32) (result i32)))
    (import "" "resume-later" (func $resume-later (param i32)))
    (import "" "yield-then-resume" (func $yield-then-resume (param i32) (result i32)))
    (import "" "suspend" (func $suspend (result i32)))
    (import "" "return" (func $return (param i32)))
    (global $sum (mut i32) (i32.const 0))
    (func $add (param $x i32) (global.set $sum (i32.add (global.get $sum) (local.get $x))))
    (func $sleeper (param i32) (drop (call $suspend)))
    (elem (i32.const 0) func $add $sleeper)
    ;; later(x): a thread adds x once the task yields; the callback returns the sum
    (func (export "later") (param $x i32) (result i32)
      (global.set $sum (i32.const 0))
      (call $resume-later (call $new (i32.const 0) (local.get $x)))
      (i32.const 1))
    (func (export "later-cb") (param i32 i32 i32) (result i32)
      (call $return (global.get $sum))
      (i32.const 0))
    ;; now(x): switches to a new thread that adds x, and is back before it returns
    (func (export "now") (param $x i32) (result i32)
      (global.set $sum (i32.const 0))
      (drop (call $yield-then-resume (call $new (i32.const 0) (local.get $x))))
      (global.get $sum))
    ;; sleep(): switches to a thread that suspends itself: that needs JSPI; in a sync
    ;; task (sleep-sync) it may not happen at all
    (func (export "sleep") (result i32)
      (drop (call $yield-then-resume (call $new (i32.const 1) (i32.const 0))))
      (call $return (i32.const 1))
      (i32.const 0))
    (func (export "sleep-sync") (result i32)
      (drop (call $yield-then-resume (call $new (i32.const 1) (i32.const 0))))
      (i32.const 1))
    (func (export "never-cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m (with "" (instance
    (export "t" (table $tbl "t"))
    (export "new" (func $new))
    (export "resume-later" (func $resume-later))
    (export "yield-then-resume" (func $yield-then-resume))
    (export "suspend" (func $suspend))
    (export "return" (func $return))))))
  (func (export "later") async (param "x" u32) (result u32)
    (canon lift (core func $i "later") async (callback (core func $i "later-cb"))))
  (func (export "now") (param "x" u32) (result u32) (canon lift (core func $i "now")))
  (func (export "sleep") async (result u32)
    (canon lift (core func $i "sleep") async (callback (core func $i "never-cb"))))
  (func (export "sleep-sync") (result u32) (canon lift (core func $i "sleep-sync"))))`);
const component = await Component.compile(bytes);

test('thread.resume-later: the new thread runs when the task yields, before its callback', async () => {
  const { later } = (await component.instantiate()).exports;
  assert.equal(await later(5), 5);
});

test('thread.yield-then-resume: the new thread runs at once and control comes back', async () => {
  const { now } = (await component.instantiate()).exports;
  assert.equal(now(7), 7);
});

test("a thread that suspends needs JSPI where the engine lacks it and nothing was rewritten (suspendWith: 'jspi')", { skip: typeof WebAssembly.Suspending === 'function' && 'this engine has JSPI' }, async () => {
  const jspiOnly = await Component.compile(bytes, { suspendWith: 'jspi' });
  const { sleep } = (await jspiOnly.instantiate()).exports;
  await assert.rejects(sleep(), /JSPI/);
});

test('a thread that suspends itself lets its task go on and return (JSPI, or Asyncify)', async () => {
  const { sleep } = (await component.instantiate()).exports;
  assert.equal(await sleep(), 1);
});

test('a thread of a synchronous task may not suspend', async () => {
  const { sleepSync } = (await component.instantiate()).exports;
  assert.throws(() => sleepSync(), /cannot block a synchronous task before returning/);
});
