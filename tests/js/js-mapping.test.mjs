// The details of jco's value mapping that real hosts are written against (wit-bindgen's
// runtime tests run through jco): a result's cases always carry `val`; trailing option<T>
// parameters may be left out (none); arguments beyond the parameters are ignored, as
// WebAssembly's own exports ignore them; too few for a required parameter is a TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { watToBytes } from '../helpers/components.mjs';

const component = await Component.compile(await watToBytes(`(component
  (core module $m
    (memory (export "memory") 1)
    ;; a list<result> of two at 8: ok, err
    (data (i32.const 0) "\\08\\00\\00\\00\\02\\00\\00\\00\\00\\01")
    (func (export "unit-results") (result i32) (i32.const 0))
    ;; opt(a, b?): a + 100 * is-some(b) + 1000 * b
    (func (export "opt") (param $a i32) (param $disc i32) (param $b i32) (result i32)
      (i32.add (local.get $a) (i32.add (i32.mul (local.get $disc) (i32.const 100)) (i32.mul (local.get $b) (i32.const 1000)))))
    ;; nested(x): 0 none, 1 some(none), 2 + v for some(some(v))
    (func (export "nested") (param $outer i32) (param $inner i32) (param $v i32) (result i32)
      (if (i32.eqz (local.get $outer)) (then (return (i32.const 0))))
      (if (i32.eqz (local.get $inner)) (then (return (i32.const 1))))
      (i32.add (i32.const 2) (local.get $v)))
    (func (export "unit-result") (param $err i32) (result i32) (local.get $err))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  (core instance $i (instantiate $m))
  (func (export "opt") (param "a" u32) (param "b" (option u32)) (result u32) (canon lift (core func $i "opt")))
 (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (func (export "nested") (param "x" (option (option u32))) (result u32) (canon lift (core func $i "nested")))
  (func (export "unit-result") (param "err" bool) (result (result)) (canon lift (core func $i "unit-result")))
  (type $r (result))
  (func (export "unit-results") (result (list $r)) (canon lift (core func $i "unit-results") (memory (core memory $i "memory")))))`));

test('a trailing option<T> argument may be left out: it is none', async () => {
  const { exports } = await component.instantiate();
  assert.equal(exports.opt(1), 1);
  assert.equal(exports.opt(1, undefined), 1);
  assert.equal(exports.opt(1, 7), 7101);
  assert.throws(() => exports.opt(), (e) => e instanceof TypeError && /expected 1 to 2 arguments, got 0/.test(e.message));
});

test('an option<option<T>> is tagged, so it must be passed', async () => {
  const { exports } = await component.instantiate();
  assert.throws(() => exports.nested(), /expected 1 argument, got 0/);
  assert.equal(exports.nested({ tag: 'none' }), 0);
  assert.equal(exports.nested({ tag: 'some', val: undefined }), 1, 'the inner option is plain');
  assert.equal(exports.nested({ tag: 'some', val: 5 }), 7);
});

test('arguments beyond the parameters are ignored, on the generated and the general path', async () => {
  const { exports } = await component.instantiate();
  assert.equal(exports.add(2, 3, 'extra', {}), 5);       // all-scalar: generated code
  assert.equal(exports.opt(1, 2, 'extra'), 2101);          // the general path
  assert.throws(() => exports.add(2), /expected 2 arguments, got 1/);
});

test('result<_, _> cases carry `val`, present and undefined', async () => {
  const { exports } = await component.instantiate();
  assert.equal(exports.unitResult(false), undefined, 'ok of a top-level result returns');
  assert.throws(() => exports.unitResult(true), (e) => e.name === 'ComponentError' && 'payload' in e);
  const [ok, err] = exports.unitResults();
  assert.ok('val' in ok && 'val' in err, 'the val key is present');
  assert.deepStrictEqual([ok, err], [{ tag: 'ok', val: undefined }, { tag: 'err', val: undefined }]);
});
