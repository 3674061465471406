// error-context values: a guest makes one from a message, the host gets an ErrorContext
// (an Error carrying the debug message), hands Errors back, and the guest reads the
// message of what it was given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap, ErrorContext } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const component = await Component.compile(await watToBytes(`(component
  (core module $libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $heap))
      (global.set $heap (i32.add (global.get $heap) (local.get 3)))
      (local.get $p))
    (data (i32.const 64) "disk on fire"))
  (core instance $libc (instantiate $libc))
  (core func $ec-new (canon error-context.new (memory (core memory $libc "memory"))))
  (core func $ec-msg (canon error-context.debug-message (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (core func $ec-drop (canon error-context.drop))
  (core module $m
    (import "" "memory" (memory 1))
    (import "" "new" (func $new (param i32 i32) (result i32)))
    (import "" "msg" (func $msg (param i32 i32)))
    (import "" "drop" (func $drop (param i32)))
    (func (export "make") (result i32) (call $new (i32.const 64) (i32.const 12)))
    ;; read(e): returns its message, then drops the handle
    (func (export "read") (param $e i32) (result i32)
      (call $msg (local.get $e) (i32.const 16))
      (call $drop (local.get $e))
      (i32.const 16))
    (func (export "drop") (param i32) (call $drop (local.get 0))))
  (core instance $i (instantiate $m (with "" (instance
    (export "memory" (memory $libc "memory"))
    (export "new" (func $ec-new)) (export "msg" (func $ec-msg)) (export "drop" (func $ec-drop))))))
  (func (export "make") (result error-context) (canon lift (core func $i "make")))
  (func (export "read") (param "e" error-context) (result string)
    (canon lift (core func $i "read") (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))))
  (func (export "drop") (param "h" u32) (canon lift (core func $i "drop")))
)`));

test('a guest error-context reaches JS as an Error with its debug message', async () => {
  const { exports } = await component.instantiate();
  const e = exports.make();
  assert.ok(e instanceof ErrorContext);
  assert.ok(e instanceof Error);
  assert.equal(e.message, 'disk on fire');
});

test('JS Errors and strings become error-contexts the guest can read', async () => {
  const { exports } = await component.instantiate();
  assert.equal(exports.read(new Error('from the host')), 'from the host');
  assert.equal(exports.read('plain text'), 'plain text');
  assert.equal(exports.read(exports.make()), 'disk on fire');
  assert.throws(() => exports.read(42), TypeError);
});

test('dropping a handle that is not an error-context traps', async () => {
  const { exports } = await component.instantiate();
  assert.throws(() => exports.drop(1), (e) => e instanceof ComponentTrap && /unknown handle index 1/.test(e.message));
});
