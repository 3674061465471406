// future<T> between a guest (tests/components/streams.wat) and the host: a guest's future is
// a Promise of its value; the host passes any thenable, whose value the guest reads when it
// settles (the guest's read waits until then).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { componentBytes, watToBytes } from '../helpers/components.mjs';

const component = await Component.compile(await componentBytes('streams'));
const fresh = async () => (await component.instantiate({})).exports;

// A Promise resolved with a Promise adopts it: an async export returning a future settles
// with the future's value, when the guest has written it.
test('future<u32> from a guest is a Promise of the value it writes', async () => {
  const e = await fresh();
  const result = e.futureOf(41);
  assert.ok(result instanceof Promise);
  assert.equal(await result, 41);
  assert.equal(await e.futureOf(0xffffffff), 0xffffffff);
});

test('a Promise from the host: the guest reads its value', async () => {
  const e = await fresh();
  assert.equal(await e.awaitFuture(Promise.resolve(9)), 10);
});

test('any thenable will do', async () => {
  const e = await fresh();
  assert.equal(await e.awaitFuture({ then(resolve) { resolve(5); } }), 6);
});

test('the guest waits for a Promise that settles later', async () => {
  const e = await fresh();
  let resolve;
  const later = new Promise((r) => { resolve = r; });
  let done = false;
  const result = e.awaitFuture(later).then((v) => { done = true; return v; });
  await new Promise(setImmediate);
  assert.equal(done, false, 'the guest is still waiting');
  resolve(99);
  assert.equal(await result, 100);
});

test('a guest\'s future, through the host, into a guest', async () => {
  const e = await fresh();
  assert.equal(await e.awaitFuture(e.futureOf(7)), 8);
});

test('a host value that is not a thenable is a TypeError before the guest runs', async () => {
  const e = await fresh();
  await assert.rejects(e.awaitFuture(5), (err) => err instanceof TypeError && /thenable/.test(err.message));
  await assert.rejects(e.awaitFuture({ then: 1 }), TypeError);
  assert.equal(await e.awaitFuture(Promise.resolve(1)), 2);
});

// A future<result<T, E>> from the host answers as a host function does (jco's convention,
// which the WASI 0.3 shims follow): a plain value is ok(value), a rejection err(payload).
test('a host Promise for a future<result>: plain value is ok, rejection is err, tagged is as is', async () => {
  const component = await Component.compile(await watToBytes(`(component
    (type $F (future (result u32 (error u32))))
    (core module $libc (memory (export "memory") 1))
    (core instance $libc (instantiate $libc))
    (alias core export $libc "memory" (core memory $mem))
    (core func $read (canon future.read $F async (memory $mem)))
    (core func $drop (canon future.drop-readable $F))
    (core func $ws.new (canon waitable-set.new))
    (core func $join (canon waitable.join))
    (core func $return (canon task.return (result u32)))
    (core module $m
      (import "" "read" (func $read (param i32 i32) (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (import "" "ws.new" (func $ws.new (result i32)))
      (import "" "join" (func $join (param i32 i32)))
      (import "" "return" (func $return (param i32)))
      (import "" "memory" (memory 1))
      (global $f (mut i32) (i32.const 0))
      ;; answer: 1000 * (is err) + payload
      (func $done (result i32)
        (call $drop (global.get $f))
        (call $return (i32.add (i32.mul (i32.load8_u (i32.const 16)) (i32.const 1000)) (i32.load (i32.const 20))))
        (i32.const 0))
      (func (export "outcome") (param $f i32) (result i32)
        (local $ws i32)
        (global.set $f (local.get $f))
        (if (i32.ne (call $read (local.get $f) (i32.const 16)) (i32.const -1)) (then (return (call $done))))
        (local.set $ws (call $ws.new))
        (call $join (local.get $f) (local.get $ws))
        (i32.or (i32.const 2) (i32.shl (local.get $ws) (i32.const 4))))
      (func (export "outcome-cb") (param i32 i32 i32) (result i32)
        (call $join (global.get $f) (i32.const 0))
        (call $done)))
    (core instance $i (instantiate $m (with "" (instance (export "read" (func $read)) (export "drop" (func $drop))
      (export "ws.new" (func $ws.new)) (export "join" (func $join)) (export "return" (func $return)) (export "memory" (memory $mem))))))
    (func (export "outcome") async (param "f" $F) (result u32)
      (canon lift (core func $i "outcome") async (callback (core func $i "outcome-cb")))))`));
  const { exports } = await component.instantiate();
  assert.equal(await exports.outcome(Promise.resolve(7)), 7);
  assert.equal(await exports.outcome(Promise.resolve({ tag: 'err', val: 8 })), 1008);
  assert.equal(await exports.outcome(Promise.resolve({ tag: 'ok', val: 9 })), 9);
  assert.equal(await exports.outcome(Promise.reject(Object.assign(new Error('no'), { payload: 5 }))), 1005);
  assert.equal(await exports.outcome(new Promise((resolve) => setTimeout(() => resolve(3), 5))), 3);
});
