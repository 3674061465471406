// Misbehaving guests, each contained (contain.mjs): the error is of the documented class
// and says what went wrong, the instance is locked down, and another instance of the same
// component and a fresh compile go on. One component does every misbehaviour on request:
// bad pointers and lengths, lying and failing reallocs, invalid strings in each encoding,
// forged, double-dropped and stashed handles, reentrance, a trap in post-return, stack
// overflow, throwing and lying host imports, and callback misuse.
import { test } from 'node:test';
import { ComponentTrap } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';
import { assertContained } from './contain.mjs';

const bytes = await watToBytes(`(component
  (import "host-fn" (func $host-fn (param "x" u32) (result u32)))
  (import "call-back" (func $call-back))
  (import "thing" (type $thing (sub resource)))

  ;; Memory (at most 64 pages) and a realloc whose honesty is set by set-realloc:
  ;; 0 honest; 1 returns a pointer past the end; 2 a misaligned one; 3 asks memory.grow for
  ;; more than the maximum and returns what it got (-1), as an allocator out of memory.
  (core module $Libc
    (memory (export "memory") 1 64)
    (global $heap (mut i32) (i32.const 4096))
    (global $mode (mut i32) (i32.const 0))
    (func (export "set-realloc") (param i32) (global.set $mode (local.get 0)))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (if (i32.eq (global.get $mode) (i32.const 1)) (then (return (i32.const 0x7ffffff0))))
      (if (i32.eq (global.get $mode) (i32.const 3)) (then (return (memory.grow (i32.const 65536)))))
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $heap (i32.add (local.get $p) (local.get 3)))
      (if (i32.eq (global.get $mode) (i32.const 2)) (then (return (i32.add (local.get $p) (i32.const 1)))))
      (local.get $p)))
  (core instance $libc (instantiate $Libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  (type $r (resource (rep i32)))
  (core func $r-new (canon resource.new $r))
  (core func $r-drop (canon resource.drop $r))
  (core func $host-fn-lowered (canon lower (func $host-fn)))
  (core func $call-back-lowered (canon lower (func $call-back)))
  (core func $task-return (canon task.return (result u32)))

  (core module $Main
    (import "libc" "memory" (memory 1 64))
    (import "res" "r-new" (func $r-new (param i32) (result i32)))
    (import "res" "r-drop" (func $r-drop (param i32)))
    (import "res" "host-fn" (func $host-fn (param i32) (result i32)))
    (import "res" "call-back" (func $call-back))
    (import "res" "task-return" (func $task-return (param i32)))
    (func (export "probe") (result i32) (i32.const 42))
    ;; a (ptr, len) pair at 16 for a spilled string or list result
    (func $pair (param $ptr i32) (param $len i32) (result i32)
      (i32.store (i32.const 16) (local.get $ptr))
      (i32.store (i32.const 20) (local.get $len))
      (i32.const 16))
    (func (export "string-out-of-bounds") (result i32) (call $pair (i32.const 0xfffffff0) (i32.const 100)))
    (func (export "list-too-long") (result i32) (call $pair (i32.const 64) (i32.const 0x10000000)))
    (func (export "list-misaligned") (result i32) (call $pair (i32.const 65) (i32.const 2)))
    (func (export "invalid-utf8") (result i32)
      (i32.store8 (i32.const 64) (i32.const 0xff))
      (call $pair (i32.const 64) (i32.const 1)))
    (func (export "unpaired-surrogate") (result i32)
      (i32.store16 (i32.const 64) (i32.const 0xd800))
      (call $pair (i32.const 64) (i32.const 1)))
    (func (export "utf16-misaligned") (result i32) (call $pair (i32.const 65) (i32.const 1)))
    (func (export "take-string") (param i32 i32) (result i32) (local.get 1))
    (func (export "drop-forged") (call $r-drop (i32.const 99)))
    (func (export "drop-twice")
      (local $h i32)
      (local.set $h (call $r-new (i32.const 1)))
      (call $r-drop (local.get $h))
      (call $r-drop (local.get $h)))
    ;; keeps the borrow of a host thing it was lent: the call may not return with it
    (func (export "stash-borrow") (param i32) (i32.store (i32.const 8) (local.get 0)))
    (func (export "reenter") (call $call-back))
    (func (export "give") (result i32) (i32.const 7))
    (func (export "give-post") (param i32) unreachable)
    (func $recurse (export "recurse") (param i32) (result i32) (i32.add (call $recurse (local.get 0)) (i32.const 1)))
    (func (export "ask-host") (result i32) (call $host-fn (i32.const 5)))
    ;; callback misuse: a code that is none of EXIT, YIELD, WAIT; task.return twice
    (func (export "bad-code") (result i32) (i32.const 7))
    (func (export "return-twice") (result i32)
      (call $task-return (i32.const 1))
      (call $task-return (i32.const 2))
      (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) (i32.const 0)))
  (core instance $main (instantiate $Main
    (with "libc" (instance $libc))
    (with "res" (instance
      (export "r-new" (func $r-new)) (export "r-drop" (func $r-drop))
      (export "host-fn" (func $host-fn-lowered)) (export "call-back" (func $call-back-lowered))
      (export "task-return" (func $task-return))))))

  (export $r-t "r" (type $r))
  (func (export "[constructor]r") (param "rep" u32) (result (own $r-t)) (canon lift (core func $r-new)))
  (func (export "probe") (result u32) (canon lift (core func $main "probe")))
  (func (export "set-realloc") (param "mode" u32) (canon lift (core func $libc "set-realloc")))
  (func (export "string-out-of-bounds") (result string)
    (canon lift (core func $main "string-out-of-bounds") (memory $mem) (realloc $realloc)))
  (func (export "list-too-long") (result (list u32))
    (canon lift (core func $main "list-too-long") (memory $mem) (realloc $realloc)))
  (func (export "list-misaligned") (result (list u32))
    (canon lift (core func $main "list-misaligned") (memory $mem) (realloc $realloc)))
  (func (export "invalid-utf8") (result string)
    (canon lift (core func $main "invalid-utf8") (memory $mem) (realloc $realloc)))
  (func (export "unpaired-surrogate") (result string)
    (canon lift (core func $main "unpaired-surrogate") (memory $mem) (realloc $realloc) string-encoding=utf16))
  (func (export "utf16-misaligned") (result string)
    (canon lift (core func $main "utf16-misaligned") (memory $mem) (realloc $realloc) string-encoding=utf16))
  (func (export "latin1-misaligned") (result string)
    (canon lift (core func $main "utf16-misaligned") (memory $mem) (realloc $realloc) string-encoding=latin1+utf16))
  (func (export "take-string") (param "s" string) (result u32)
    (canon lift (core func $main "take-string") (memory $mem) (realloc $realloc)))
  (func (export "take-list") (param "l" (list u32)) (result u32)
    (canon lift (core func $main "take-string") (memory $mem) (realloc $realloc)))
  (func (export "drop-forged") (canon lift (core func $main "drop-forged")))
  (func (export "drop-twice") (canon lift (core func $main "drop-twice")))
  (func (export "stash-borrow") (param "t" (borrow $thing)) (canon lift (core func $main "stash-borrow")))
  (func (export "reenter") (canon lift (core func $main "reenter")))
  (func (export "give") (result u32) (canon lift (core func $main "give") (post-return (core func $main "give-post"))))
  (func (export "recurse") (param "x" u32) (result u32) (canon lift (core func $main "recurse")))
  (func (export "ask-host") (result u32) (canon lift (core func $main "ask-host")))
  (func (export "bad-code") async (result u32) (canon lift (core func $main "bad-code") async (callback (core func $main "cb"))))
  (func (export "return-twice") async (result u32) (canon lift (core func $main "return-twice") async (callback (core func $main "cb"))))
)`);

const probe = (exports) => exports.probe() === 42;

class Thing {}

// A fresh import object per instance; `hostFn` and `callBack` as the case needs.
function importsWith({ hostFn = (x) => x, callBack = () => {} } = {}) {
  return () => ({ 'host-fn': hostFn, 'call-back': callBack, Thing });
}

const cases = [
  ['a string result pointing past the end of memory', (e) => e.stringOutOfBounds(), /string content out-of-bounds/],
  ['a list result over 2^28-1 bytes', (e) => e.listTooLong(), /list too long/],
  ['a misaligned list<u32> result', (e) => e.listMisaligned(), /list pointer 65 is not aligned to 4/],
  ['an invalid UTF-8 string', (e) => e.invalidUtf8(), /invalid utf-8/],
  ['a UTF-16 string with an unpaired surrogate', (e) => e.unpairedSurrogate(), /unpaired surrogate/],
  ['a misaligned UTF-16 string', (e) => e.utf16Misaligned(), /unaligned pointer/],
  ['a misaligned latin1+utf16 string', (e) => e.latin1Misaligned(), /unaligned pointer/],
  ['a realloc that returns a pointer past the end', (e) => { e.setRealloc(1); e.takeString('hello'); }, /realloc return: beyond end of memory/],
  ['a realloc that returns a misaligned pointer', (e) => { e.setRealloc(2); e.takeList([1, 2]); }, /realloc return: result not aligned/],
  ['a realloc that fails for want of memory (returns -1)', (e) => { e.setRealloc(3); e.takeString('hello'); }, /realloc return: beyond end of memory/],
  ['resource.drop of a forged handle', (e) => e.dropForged(), /unknown handle index 99/],
  ['resource.drop of a handle twice', (e) => e.dropTwice(), /unknown handle index 1/],
  ['a lent borrow kept past the call', (e) => e.stashBorrow(new Thing()), /borrow handles still remain/],
  ['a trap in post-return', (e) => e.give(), /the guest trapped inside its post-return \(after `give` returned\)/],
  ['unbounded recursion (stack overflow)', (e) => e.recurse(1), /call stack exhausted/],
];

for (const [name, misuse, message] of cases) {
  test(`contained: ${name}`, async () => {
    await assertContained({ bytes, imports: importsWith(), probe, misuse, error: ComponentTrap, message, locked: true });
  });
}

test('contained: reentrance through a host import', async () => {
  // The host import calls back into the instance that is calling it.
  let caller;
  await assertContained({
    bytes, probe, error: ComponentTrap, locked: true, message: /cannot enter component instance/,
    imports: importsWith({ callBack: () => caller.probe() }),
    misuse: (exports) => {
      caller = exports;
      return exports.reenter();
    },
  });
});

test('contained: a host import that throws', async () => {
  await assertContained({
    bytes, probe, error: ComponentTrap, locked: true, message: /host error: no answer today/,
    imports: importsWith({ hostFn: () => { throw new Error('no answer today'); } }),
    misuse: (e) => e.askHost(),
  });
});

test('contained: a host import that returns the wrong type', async () => {
  await assertContained({
    bytes, probe, error: ComponentTrap, locked: true, message: /result of `host-fn`: expected a u32 number, got the string "seven"/,
    imports: importsWith({ hostFn: () => 'seven' }),
    misuse: (e) => e.askHost(),
  });
});

test('contained: a callback-lifted task that returns an invalid code', async () => {
  await assertContained({
    bytes, probe, error: ComponentTrap, locked: true, message: /unsupported callback code: 7/,
    imports: importsWith(), misuse: (e) => e.badCode(),
  });
});

test('contained: task.return called twice', async () => {
  await assertContained({
    bytes, probe, error: ComponentTrap, locked: true, message: /task already returned or cancelled/,
    imports: importsWith(), misuse: (e) => e.returnTwice(),
  });
});
