// An exported interface is reachable by its full name and, where that is unambiguous, by
// its short name (`exports.calc` for `a:b/calc@1.0.0`), as jco offers it: not when two
// interfaces share it, and not when another export is already known by it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { interfaceShortNames } from '../../js/names.mjs';
import { watToBytes } from '../helpers/components.mjs';

const bytes = await watToBytes(`(component
  (core module $m (func (export "f") (result i32) (i32.const 7)))
  (core instance $i (instantiate $m))
  (func $f (result u32) (canon lift (core func $i "f")))
  (instance $api (export "seven" (func $f)))
  (export "a:b/calc@1.0.0" (instance $api))
  (export "x:y/dup" (instance $api))
  (export "z:w/dup@2.0.0" (instance $api))
  (export "a:b/tools" (instance $api))
  (export "tools" (func $f))
  (export "a:b/big-box" (instance $api)))`);

test('an exported interface is reachable by its short name where only it would have that name', async () => {
  const { exports } = await (await Component.compile(bytes)).instantiate();
  assert.equal(exports.calc, exports['a:b/calc@1.0.0']);
  assert.equal(exports.calc.seven(), 7);
  assert.equal(exports.bigBox, exports['a:b/big-box'], 'lowerCamelCase, as other names');
  assert.equal(exports.dup, undefined, 'two interfaces named dup: neither gets it');
  assert.equal(typeof exports.tools, 'function', 'a function export named tools keeps its name');
  assert.equal(exports.tools(), 7);
  assert.deepEqual(Object.keys(exports).sort(), ['a:b/big-box', 'a:b/calc@1.0.0', 'a:b/tools', 'tools', 'x:y/dup', 'z:w/dup@2.0.0'],
    'short names are not enumerated: each export shows once');
});

test('interfaceShortNames: one interface per short name, none taken by another export', () => {
  const names = interfaceShortNames([
    ['wasi:cli/run@0.2.0', true], ['my:pkg/run-it', true], ['run-it', false],
    ['a:b/same', true], ['c:d/same@1.0.0', true], ['a:b/Upper-Case', true], ['upper-case', false], ['ok:go/fine', true],
  ]);
  assert.deepEqual([...names], [['wasi:cli/run@0.2.0', 'run'], ['ok:go/fine', 'fine']]);
});
