// waitable-set.wait's event pointer is checked when the event is stored: for a wait that
// blocked, when it returns, against its own memory as it is then (the spec's
// unpack_event after wait_until). It was checked against the size JS had passed with the
// latest wait or poll of the whole instantiation (spec-map note 5). A stackful task that
// blocks suspends with JSPI, or else by Asyncify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Component, ComponentTrap } from '../../js/index.mjs';
import { componentBytes } from '../helpers/components.mjs';

const PAGE = 65536;

// Instantiates the component with a ping whose answer waits for `release()`.
async function instance() {
  const component = await Component.compile(await componentBytes('wait-memory-grows'));
  let release;
  const ping = (x) => new Promise((resolve) => { release = () => resolve(x + 1); });
  const { exports } = await component.instantiate({ ping });
  return { exports, release: () => release() };
}

const blocked = () => new Promise((resolve) => setTimeout(resolve, 10));

// (Asyncify, where it saves the waiting stack, takes a page of the memory for it: the
// memory's size is read after the wait began.)
const growTo = (exports, pages) => exports.grow(pages - exports.grow(0));

test('a blocked wait stores its event where the memory grew to meanwhile', async () => {
  const { exports, release } = await instance();
  const result = exports.run(3 * PAGE + 8);  // beyond the memory (one page, or two with Asyncify's)
  await blocked();
  assert.ok(exports.grow(0) <= 2);
  growTo(exports, 4);
  release();
  assert.equal(await result, 2);  // the subtask's event: RETURNED
});

test('a blocked wait whose pointer is still out of bounds when it returns traps then', async () => {
  const { exports, release } = await instance();
  const result = exports.run(8 * PAGE);
  await blocked();
  growTo(exports, 4);  // still short
  release();
  await assert.rejects(result, (e) => e instanceof ComponentTrap && /out of bounds|out-of-bounds/i.test(e.message));
});
