// External visibility of types through nested components (Explainer.md "External
// Visibility of Types"): a record used by an export needs a name, which is the type index
// an import or export introduces. Components whose nested components import a record with
// `(type (eq ...))` and whose exported instances use it compile and run; the same
// components with the record left unnamed are CompileErrors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Component } from '../../js/index.mjs';
import { componentBytes, componentsDir, watToBytes } from '../helpers/components.mjs';

const text = (name) => readFile(new URL(`${name}.wat`, componentsDir), 'utf8');

/** Component text with `from` replaced by `to` (which must occur exactly once). */
function variant(source, from, to) {
  assert.equal(source.split(from).length, 2, `expected exactly one ${from}`);
  return source.replace(from, to);
}

async function rejectsUnnamed(source, what) {
  await assert.rejects(Component.compile(await watToBytes(source)), (e) => {
    assert.ok(e instanceof WebAssembly.CompileError, `${e}`);
    assert.match(e.message, new RegExp(`${what} not valid to be used as export: a record type has no externally visible name`));
    return true;
  });
}

test('a record imported with an eq bound, used by a re-exported instance, is named by the import', async () => {
  const { exports } = await (await Component.compile(await componentBytes('eq-imported-record'))).instantiate();
  assert.equal(exports.plain.sum({ x: 2, y: 40 }), 42);
  assert.deepEqual(exports.plain.make(1, 2), { x: 1, y: 2 });
  // through a middle component that imports it with an eq bound as well
  assert.equal(exports.middle.sum({ x: 7, y: 8 }), 15);
  assert.deepEqual(exports.middle.make(9, 10), { x: 9, y: 10 });
  // an instance that exports the record beside the functions names it itself
  assert.equal(exports.bundled.sum({ x: 1, y: 1 }), 2);
  assert.deepEqual(exports.bundled.make(5, 6), { x: 5, y: 6 });
});

test('the same record passed unnamed is rejected where an instance using it is exported', async () => {
  const source = await text('eq-imported-record');
  // The outer component's definition `$point` has no name outside, its export `$point'` has.
  await rejectsUnnamed(variant(source, '(instantiate $Plain (with "point" (type $point\')))',
    '(instantiate $Plain (with "point" (type $point)))'), 'instance');
  await rejectsUnnamed(variant(source, '(instantiate $Middle (with "point" (type $point\')))',
    '(instantiate $Middle (with "point" (type $point)))'), 'instance');
  // Without the record among its exports, the bundled instance no longer names it.
  await rejectsUnnamed(variant(source, '(instance $api (export "point" (type $p)) (export "sum"',
    '(instance $api (export "sum"'), 'instance');
});

test('two imports of one instance type are bound each to its own argument', async () => {
  const { exports } = await (await Component.compile(await componentBytes('instance-type-imported-twice'))).instantiate();
  assert.equal(exports.api.sum({ x: 40, y: 2 }), 42);
  assert.deepEqual(exports.api.make(3, 4), { x: 3, y: 4 });
  // Swapped, the import the functions use gets the unnamed record.
  const source = await text('instance-type-imported-twice');
  await rejectsUnnamed(variant(source, '(with "a" (instance $unnamed)) (with "b" (instance $named))',
    '(with "a" (instance $named)) (with "b" (instance $unnamed))'), 'instance');
});

test('an ascribed export names the type index it introduces, not the one it was given', async () => {
  const lifted = `
    (core module $m (func (export "sum") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
    (core instance $i (instantiate $m))`;
  // `(export "point" (type $point) (type (eq $point)))` names a new index; $point stays unnamed.
  const typed = (param) => `(component
    (type $point (record (field "x" u32) (field "y" u32)))
    (export $point' "point" (type $point) (type (eq $point)))
    ${lifted}
    (func $sum (param "p" ${param}) (result u32) (canon lift (core func $i "sum")))
    (export "sum" (func $sum)))`;
  const { exports } = await (await Component.compile(await watToBytes(typed("$point'")))).instantiate();
  assert.equal(exports.sum({ x: 20, y: 22 }), 42);
  await rejectsUnnamed(typed('$point'), 'func');
  // Likewise an instance ascribed with a type export: its functions must use that export.
  const ascribed = (param) => `(component
    (type $point (record (field "x" u32) (field "y" u32)))
    ${lifted}
    (func $sum (param "p" $point) (result u32) (canon lift (core func $i "sum")))
    (instance $api (export "point" (type $point)) (export "sum" (func $sum)))
    (export "api" (instance $api)
      (instance (export "point" (type $p (eq $point))) (export "sum" (func (param "p" ${param}) (result u32))))))`;
  const api = (await (await Component.compile(await watToBytes(ascribed('$p')))).instantiate()).exports.api;
  assert.equal(api.sum({ x: 1, y: 2 }), 3);
  await rejectsUnnamed(ascribed('$point'), 'instance');
});
