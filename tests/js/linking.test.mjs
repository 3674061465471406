// Components linked inside a component: nested component definitions, instances with
// arguments, aliases (incl. an outer alias), re-exported functions and instances, and a
// call from one component into another with strings transcoded between a utf8 caller and a
// utf16 callee.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';

const component = await Component.compile(await componentBytes('composed'));

test('a component calls another component inside the same composition', async () => {
  const { exports } = await component.instantiate();
  assert.equal(exports.shout('wörld ☃'), 'Hi wörld ☃!');
  assert.equal(exports.greet('you'), 'Hi you');
  assert.equal(exports.greeterCalls(), 2);
});

test('each instantiation of a nested component is its own instance', async () => {
  const { exports } = await component.instantiate();
  exports.greet('a');
  assert.equal(exports.otherCalls(), 0);
  assert.equal(exports.other.greet('b'), 'Hi b');
  assert.equal(exports.other.calls(), 1);
  assert.equal(exports.greeterCalls(), 1);
});

test('the plan has one runtime instance per component instantiation', () => {
  const { instances } = component.plan;
  assert.equal(instances.length, 4, 'root + two greeters + app');
  assert.deepEqual(instances.map((i) => i.parent), [null, 0, 0, 0]);
});
