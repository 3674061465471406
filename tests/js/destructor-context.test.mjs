// A destructor runs as a thread of its own (the spec's canon_lift of the dtor): its
// context cells start at 0 and are not the dropping code's, whether a guest drops the
// handle or the host disposes of it (tests/components/destructor-context.wat).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';

const component = await Component.compile(await componentBytes('destructor-context'));

test('dropped by the guest: the destructor sees a cell of 0, and the dropper keeps its own', async () => {
  const { exports } = await component.instantiate();
  assert.equal(exports.dropIt(exports.make()), 7, 'the dropping code\'s cell is untouched');
  assert.equal(exports.seen(), 0, 'the destructor saw a fresh cell');
});

test('disposed of by the host: the destructor runs with cells of its own, no trap', async () => {
  const { exports } = await component.instantiate();
  const r = exports.make();
  r[Symbol.dispose]();
  assert.equal(exports.seen(), 0);
});
