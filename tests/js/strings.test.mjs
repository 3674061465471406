// Strings from JS into guests of each encoding: the exact realloc calls and bytes.
// A JS string is a host value, presented to the ABI in the source encoding that makes one
// exact allocation (the host's choice, see docs/decisions.md §3): a utf8 guest gets its
// UTF-8 bytes, counted first (the WASI preview1 adapter refuses a realloc that grows or
// shrinks); utf16 guests get one exact allocation; latin1+utf16 guests get Latin-1 when
// every code unit fits in a byte, else UTF-16 with the tag bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

// A guest whose realloc logs (old_ptr, old_size, align, new_size) at 0x100.. and copies.
function guest(encoding) {
  return watToBytes(`(component
    (core module $m
      (memory (export "memory") 1)
      (global $heap (mut i32) (i32.const 4096))
      (global $log (mut i32) (i32.const 256))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (i32.store (global.get $log) (local.get 0))
        (i32.store offset=4 (global.get $log) (local.get 1))
        (i32.store offset=8 (global.get $log) (local.get 2))
        (i32.store offset=12 (global.get $log) (local.get 3))
        (global.set $log (i32.add (global.get $log) (i32.const 16)))
        (local.set $p (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
        (global.set $heap (i32.add (local.get $p) (local.get 3)))
        (if (local.get 1) (then (memory.copy (local.get $p) (local.get 0)
          (select (local.get 1) (local.get 3) (i32.lt_u (local.get 1) (local.get 3))))))
        (local.get $p))
      ;; take(ptr, units): remember them; the log and the bytes are read back below
      (func (export "take") (param i32 i32) (i32.store (i32.const 16) (local.get 0)) (i32.store (i32.const 20) (local.get 1)))
      (func (export "log") (result i32)
        (i32.store (i32.const 24) (i32.const 256))
        (i32.store (i32.const 28) (i32.shr_u (i32.sub (global.get $log) (i32.const 256)) (i32.const 2)))
        (global.set $log (i32.const 256))
        (i32.const 24))
      (func (export "taken") (result i32) (i32.const 16))
      (func (export "bytes") (param i32 i32) (result i32)
        (i32.store (i32.const 32) (local.get 0)) (i32.store (i32.const 36) (local.get 1)) (i32.const 32)))
    (core instance $i (instantiate $m))
    (func (export "take") (param "s" string)
      (canon lift (core func $i "take") string-encoding=${encoding} (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
    (func (export "log") (result (list u32)) (canon lift (core func $i "log") (memory (core memory $i "memory"))))
    (func (export "taken") (result (tuple u32 u32)) (canon lift (core func $i "taken") (memory (core memory $i "memory"))))
    (func (export "bytes") (param "ptr" u32) (param "len" u32) (result (list u8))
      (canon lift (core func $i "bytes") (memory (core memory $i "memory")) (realloc (core func $i "realloc")))))`);
}

async function lower(encoding, text) {
  const { exports } = await (await Component.compile(await guest(encoding))).instantiate();
  exports.log();  // start with an empty log
  exports.take(text);
  const log = [...exports.log()];
  const calls = [];
  for (let i = 0; i < log.length; i += 4) calls.push(log.slice(i, i + 4));
  const [ptr, units] = exports.taken();
  return { calls, ptr, units, exports };
}

const bytesOf = (exports, ptr, n) => [...exports.bytes(ptr, n)];

test('utf8 guest: ASCII is one exact allocation', async () => {
  const { calls, ptr, units, exports } = await lower('utf8', 'abc');
  assert.deepEqual(calls, [[0, 0, 1, 3]]);
  assert.equal(units, 3);
  assert.deepEqual(bytesOf(exports, ptr, 3), [0x61, 0x62, 0x63]);
});

test('utf8 guest: non-ASCII is one allocation of its exact UTF-8 length', async () => {
  const { calls, ptr, units, exports } = await lower('utf8', 'h\u00e9llo\u2603');  // 6 units, 9 bytes
  assert.deepEqual(calls, [[0, 0, 1, 9]]);
  assert.equal(units, 9);
  assert.deepEqual(bytesOf(exports, ptr, 9), [0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f, 0xe2, 0x98, 0x83]);
});

test('utf8 guest: astral characters and the empty string', async () => {
  const astral = await lower('utf8', '\u{1F600}');  // 2 units, 4 bytes
  assert.deepEqual(astral.calls, [[0, 0, 1, 4]]);
  assert.deepEqual(bytesOf(astral.exports, astral.ptr, 4), [0xf0, 0x9f, 0x98, 0x80]);
  const empty = await lower('utf8', '');
  assert.deepEqual(empty.calls, [[0, 0, 1, 0]]);
  assert.equal(empty.units, 0);
});

test('utf16 guest: one allocation of two bytes per code unit', async () => {
  const { calls, ptr, units, exports } = await lower('utf16', 'h\u00e9\u{1F600}');
  assert.deepEqual(calls, [[0, 0, 2, 8]]);
  assert.equal(units, 4);
  assert.deepEqual(bytesOf(exports, ptr, 8), [0x68, 0, 0xe9, 0, 0x3d, 0xd8, 0x00, 0xde]);
});

test('latin1+utf16 guest: Latin-1 when it fits, else tagged UTF-16', async () => {
  const latin = await lower('latin1+utf16', 'h\u00e9');
  assert.deepEqual(latin.calls, [[0, 0, 2, 2]]);
  assert.equal(latin.units, 2);
  assert.deepEqual(bytesOf(latin.exports, latin.ptr, 2), [0x68, 0xe9]);
  const wide = await lower('latin1+utf16', 'h\u2603');
  assert.deepEqual(wide.calls, [[0, 0, 2, 4]]);
  assert.equal(wide.units, (2 | 2 ** 31) >>> 0);
  assert.deepEqual(bytesOf(wide.exports, wide.ptr, 4), [0x68, 0, 0x03, 0x26]);
});

// Between two guests the spec's sequence depends on the *caller's* encoding: utf8 text of
// 6 bytes going to a utf16 callee is allocated as 2 * 6 bytes, then shrunk to the 5 code
// units it turned out to be (store_utf8_to_utf16). A JS string in between would have
// given one exact allocation: this pins that strings pass guest to guest untouched.
test('guest to guest: the realloc sequence follows the caller\'s encoding', async () => {
  const bytes = await watToBytes(`(component
    (component $Callee
      (core module $m
        (memory (export "memory") 1)
        (global $heap (mut i32) (i32.const 4096))
        (global $log (mut i32) (i32.const 256))
        (func (export "realloc") (param i32 i32 i32 i32) (result i32)
          (local $p i32)
          (i32.store (global.get $log) (local.get 0))
          (i32.store offset=4 (global.get $log) (local.get 1))
          (i32.store offset=8 (global.get $log) (local.get 2))
          (i32.store offset=12 (global.get $log) (local.get 3))
          (global.set $log (i32.add (global.get $log) (i32.const 16)))
          (if (i32.and (i32.ne (local.get 0) (i32.const 0)) (i32.le_u (local.get 3) (local.get 1)))
            (then (return (local.get 0))))
          (local.set $p (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
          (global.set $heap (i32.add (local.get $p) (local.get 3)))
          (if (local.get 1) (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
          (local.get $p))
        (func (export "take") (param i32 i32) (result i32)
          (i32.store (i32.const 16) (local.get 0)) (i32.store (i32.const 20) (local.get 1)) (i32.const 16))
        (func (export "log") (result i32)
          (i32.store (i32.const 24) (i32.const 256))
          (i32.store (i32.const 28) (i32.shr_u (i32.sub (global.get $log) (i32.const 256)) (i32.const 2)))
          (i32.const 24)))
      (core instance $i (instantiate $m))
      (func (export "take") (param "s" string) (result (tuple u32 u32))
        (canon lift (core func $i "take") string-encoding=utf16 (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
      (func (export "log") (result (list u32)) (canon lift (core func $i "log") (memory (core memory $i "memory")))))
    (component $Caller
      (import "take" (func $take (param "s" string) (result (tuple u32 u32))))
      (core module $mem (memory (export "memory") 1) (data (i32.const 64) "h\\c3\\a9llo"))
      (core instance $mem (instantiate $mem))
      (core func $take (canon lower (func $take) (memory (core memory $mem "memory"))))
      (core module $m
        (import "" "memory" (memory 1))
        (import "" "take" (func $take (param i32 i32 i32)))
        (func (export "run") (result i32) (call $take (i32.const 64) (i32.const 6) (i32.const 0)) (i32.const 0)))
      (core instance $i (instantiate $m (with "" (instance (export "memory" (memory $mem "memory")) (export "take" (func $take))))))
      (func (export "run") (result (tuple u32 u32)) (canon lift (core func $i "run") (memory (core memory $mem "memory")))))
    (instance $callee (instantiate $Callee))
    (instance $caller (instantiate $Caller (with "take" (func $callee "take"))))
    (export "run" (func $caller "run"))
    (export "log" (func $callee "log")))`);
  const { exports } = await (await Component.compile(bytes)).instantiate();
  const [ptr, units] = exports.run();
  const log = [...exports.log()];
  assert.deepEqual([log.slice(0, 4), log.slice(5, 8)], [[0, 0, 2, 12], [12, 2, 10]]);
  assert.equal(log[4], ptr, 'the shrink keeps the allocation in place');
  assert.equal(units, 5);
});
